import type { MessageReading } from '@answerdesk/types';

/** A message with nothing to answer: an automatic reply, a closing thanks, a follow-up that chases an earlier message, nothing asked yet, or spam. */
export type NothingToAnswer = 'auto-reply' | 'thanks' | 'follow-up' | 'nothing-asked' | 'spam';

/**
 * What a message with nothing to answer is, if it is one, from its reading (@answerdesk/message's
 * `readMessage`, or a suggestion's `message`): such a message is not searched. Pure.
 */
export function nothingToAnswer(reading: Pick<MessageReading, 'autoReply' | 'thanksOnly' | 'followUp' | 'nothingAsked' | 'unsolicited'>): NothingToAnswer | undefined {
  if (reading.autoReply) return 'auto-reply';
  if (reading.unsolicited) return 'spam';
  if (reading.thanksOnly) return 'thanks';
  if (reading.followUp) return 'follow-up';
  if (reading.nothingAsked) return 'nothing-asked';
  return undefined;
}
