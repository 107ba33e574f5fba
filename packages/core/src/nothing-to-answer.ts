import type { MessageReading } from '@answerdesk/types';

/** A message with nothing to answer: an automatic reply, a closing thanks, a follow-up that chases an earlier message, or nothing asked yet. */
export type NothingToAnswer = 'auto-reply' | 'thanks' | 'follow-up' | 'nothing-asked';

/**
 * What a message with nothing to answer is, if it is one, from its reading (@answerdesk/message's
 * `readMessage`, or a suggestion's `message`): such a message is not searched. Pure.
 */
export function nothingToAnswer(reading: Pick<MessageReading, 'autoReply' | 'thanksOnly' | 'followUp' | 'nothingAsked'>): NothingToAnswer | undefined {
  if (reading.autoReply) return 'auto-reply';
  if (reading.thanksOnly) return 'thanks';
  if (reading.followUp) return 'follow-up';
  if (reading.nothingAsked) return 'nothing-asked';
  return undefined;
}
