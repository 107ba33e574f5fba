/**
 * Chat shorthand customers type ("u", "pls", "shud"): the word each stands for, per language. Not typos
 * (a speller's edit distance would make "shud" into "shed", and leaves words of three letters alone), and
 * no maintained library lists them (compromise expands "wanna", not "u" or "pls"). Only forms that are
 * never a word of their own in that language: "r" (the R language), "cos", "acc", "min" (a minimum) and "pwd"
 * (a shell command) are left as written. "bc" is read only as written in lower case: "BC" is an order number's prefix.
 */
const SHORTHAND: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  en: {
    u: 'you',
    ur: 'your',
    pls: 'please',
    plz: 'please',
    thx: 'thanks',
    thnx: 'thanks',
    tnx: 'thanks',
    shud: 'should',
    shld: 'should',
    wud: 'would',
    cud: 'could',
    wat: 'what',
    abt: 'about',
    bcoz: 'because',
    bcos: 'because',
    coz: 'because',
    cuz: 'because',
    becuz: 'because',
    ppl: 'people',
    msg: 'message',
    pkg: 'package',
    tmrw: 'tomorrow',
    tmr: 'tomorrow',
    yday: 'yesterday',
    hv: 'have',
    wanna: 'want to',
    gonna: 'going to',
    rn: 'right now',
    idk: "I don't know",
    shd: 'should',
    thru: 'through',
    tho: 'though',
    bc: 'because',
    bday: 'birthday',
    smth: 'something',
    sth: 'something',
    pics: 'photos',
    pic: 'photo',
    // Units of time: "down since 10 mins ago" (the speller made "mins" into the knowledge base's "mis").
    mins: 'minutes',
    hrs: 'hours',
    secs: 'seconds',
    wks: 'weeks',
    mths: 'months',
    mnths: 'months',
    yrs: 'years',
    // Written short in notes and chat alike.
    approx: 'approximately',
    acct: 'account',
  },
};

/** The word a shorthand stands for in `language` (lowercase), or undefined. Pure. */
export function expandShorthand(word: string, language: string): string | undefined {
  const table = SHORTHAND[language];
  const lower = word.toLowerCase();
  return table && Object.hasOwn(table, lower) ? table[lower] : undefined;
}
