/**
 * The small per-language tables the reader works from: greetings, sign-offs, politeness, legal
 * footers, quote headers email-reply-parser does not know, and the words that make a sentence a
 * question or start another matter. Entries are regular-expression sources, matched
 * case-insensitively on whole words; apostrophes are written ' and also match ’.
 */

export interface LanguagePhrases {
  /** Opening words of a greeting ("good morning"); an addressee may follow. */
  greetings: string[];
  /** Greetings that are never anything else at a message's start, so they greet without punctuation too ("hi ordered the wrong size…"). */
  plainGreetings: string[];
  /** Greetings that need an addressee ("dear …", "sehr geehrte …"): never removed on their own. */
  salutations: string[];
  /** Who a greeting may address without naming a person ("team", "sir or madam"). */
  addressees: string[];
  /** A whole sign-off ("best regards"); a name may follow on the same line. */
  signOffs: string[];
  /** Sentences that only thank or ask for help, removed wherever they are. */
  politeness: string[];
  /** The start of a legal or confidentiality footer. */
  footers: string[];
  /** A mail app's line below the message ("Sent from my iPhone", "Inviato da iPhone"): the whole line, the app's name included. */
  mobileSignatures: string[];
  /** A line that introduces a quoted earlier message. */
  quoteHeaders: string[];
  /** Sentence openings that ask ("how do I", "is it possible"). */
  questionStarts: string[];
  /** Sentence openings that bring up another matter ("Also,", "P.S."). */
  connectors: string[];
  /** Words that say the question follows, what came before being background ("So my actual question is:"). */
  questionMarkers: string[];
  /** What an automatic reply opens a line with, before ":" or ending a sentence ("Automatic reply: …", "This is an automated response."). */
  autoReplies: string[];
  /** Being away ("I am out of the office until"): an automatic reply when one of `awayNotices` is said too. */
  away: string[];
  /** What an out-of-office message says besides ("limited access to e-mail", "for urgent matters"). */
  awayNotices: string[];
  /** Words that make a statement a request ("I'd like to"): after "Also," it is a matter of its own. */
  requests: string[];
  /** Inside one question sentence, what joins a second question ("and can"). */
  joiners: string[];
  /** Words that point back to the previous question's matter ("it", "this"). */
  anaphora: string[];
  /** Phrases with "it" that point at nothing ("is it possible", "how long does it take"). */
  dummyIt: string[];
  /** Self-introductions followed by the writer's name ("my name is"). */
  selfIntroductions: string[];
  /** Courtesy titles before a name ("Mr", "Frau"). */
  titles: string[];
  /** What a customer says to close a matter: it is solved, understood or arrived ("that solved it", "all good", "got it"). */
  acknowledgements: string[];
  /** What a customer says to chase an earlier message, with nothing new ("any update on this?", "still waiting"). */
  followUps: string[];
}

const en: LanguagePhrases = {
  // "hel+o+w?", "hi+", "hey+": customers type "Helo", "Hellooo", "Hellow", "hiii", "heyyy" too; a misspelled greeting must go, not be "corrected" into a word of the question.
  greetings: ['hi+', 'hiya', 'hey+', 'hel+o+w?', 'howdy', 'greetings', 'good (?:morning|afternoon|evening|day)', 'morning', 'to whom it may concern'],
  plainGreetings: ['hi+', 'hiya', 'hey+', 'hel+o+w?', 'howdy', 'good (?:morning|afternoon|evening)'],
  salutations: ['dear', 'my dear'],
  addressees: [
    'there', 'again', 'all', 'everyone', 'everybody', 'guys', 'folks', 'team', 'support', 'support team', 'customer (?:service|support|care)(?: team)?',
    'sir(?: or madam|/madam)?', 'sirs', 'madam', 'sir/madam', 'sir or madam', 'friends', 'colleagues',
  ],
  signOffs: [
    "thanks(?: (?:a lot|so much|very much|a million|again|in advance|for (?:your|the|any) (?:help|time|assistance|support|patience|understanding|attention|reply|response|quick (?:reply|response))))*",
    "thank you(?: (?:very much|so much|again|in advance|for (?:your|the|any) (?:help|time|assistance|support|patience|understanding|attention|reply|response)))*",
    'many thanks', '(?:thanks|thank you|many thanks) (?:and|&) (?:(?:best|kind|warm) )?(?:regards|best|wishes|cheers|all the best)', 'thx', 'tia', 'ty', 'cheers', 'regards',
    '(?:best|kind|warm|warmest|kindest|many|with kind|with best|best kind) (?:regards|wishes)', 'best', 'all the best', 'best wishes',
    '(?:yours )?(?:sincerely|faithfully|truly)(?: yours)?', 'yours', 'respectfully', 'br', 'kr', 'take care', 'have a (?:nice|good|great) (?:day|weekend|one)',
  ],
  politeness: [
    "(?:thanks|thank you)(?: (?:so|very) much| a lot)?(?: again)?(?: in advance)?(?: for (?:your|the|any|all (?:your|the)) (?:(?:quick|fast|prompt|speedy|kind|detailed|helpful) )?(?:help|time|assistance|support|attention|patience|understanding|reply|response|answer|e-?mail|message|information|info|explanation)(?: (?:yesterday|earlier|today|this morning|so far))?)?(?: in advance)?",
    "(?:i )?hope (?:you|someone) (?:can|could|will be able to|'ll be able to) help(?: me| us)?(?: with (?:this|that))?",
    "(?:i )?hope (?:you(?:'re| are) (?:well|doing well|having a (?:good|great|nice) day)|(?:this|my) (?:e-?mail |message )?finds you well|all is well)",
    'any help (?:is|would be|will be) (?:much |greatly |really |very )?appreciated',
    "(?:i(?:'m| am) )?(?:look|looking) forward to (?:your|hearing|a)[^.!?]*",
    'please help(?: me| us)?', "(?:i(?: would|'d) )?(?:really )?appreciate (?:your|any) help", 'sorry (?:to bother you|for (?:the trouble|bothering you))',
    'have a (?:nice|good|great) (?:day|weekend)', '(?:can|could) (?:you|someone|anyone) (?:please )?help(?: me| us)?(?: please)?',
  ],
  footers: [
    'this (?:e-?mail|message) was sent (?:from|via|using|through) (?:a|the) (?:contact|web) form',
    'this (?:e-?mail|message|communication|transmission)[^\\n]{0,160}?(?:confidential|privileged|intended (?:solely|only))', 'confidentiality notice',
    'disclaimer\\s*:', '(?:please )?(?:consider|think of) the environment before printing', '(?:if )?you (?:have )?received this (?:e-?mail|message) in error',
    'the information (?:contained )?in this (?:e-?mail|message)', 'privileged (?:and|&) confidential',
  ],
  mobileSignatures: ['sent (?:from|with|via) (?:my )?[^\\n?!,;]{2,50}', 'get outlook for (?:ios|android)[^\\n]{0,60}'],
  quoteHeaders: ['on .{4,200}wrote:?', '-{2,}\\s*(?:original|forwarded) message\\s*-{2,}', 'begin forwarded message:?'],
  questionStarts: [
    '(?:what|why|how|when|where|which|who|whom|whose)',
    "(?:can|could|would|will|should|shall|may|might|must|do|does|did|is|are|was|were|has|have|had|isn't|aren't|can't|won't|doesn't|don't|didn't|wasn't|haven't|hasn't) (?:i|you|we|they|he|she|it|my|your|our|the|this|that|these|those|there|someone|somebody|anyone|anybody|u|a|an)",
    'is (?:it|there) (?:possible|a way|any way|ok|okay|normal)', 'any (?:idea|news|update)', "(?:i(?:'d| would) like to know|i(?:'m| am) wondering|i was wondering|do you know)",
    '(?:please )?(?:tell|let) me know', 'please (?:advise|explain)',
  ],
  connectors: ['also', 'and another thing', 'another (?:question|thing)', 'one more (?:thing|question)', 'additionally', 'besides(?: that)?', 'apart from that', 'on (?:another|a separate|a different|an unrelated) note', "while i(?: have you|'m at it| am at it)", 'separately', '(?:a )?separate (?:thing|question|matter|issue)', '(?:an )?unrelated (?:thing|question|matter|issue)', 'p\\.?\\s?p?\\.?\\s?s\\.?', 'ps'],
  questionMarkers: ["(?:so |anyway,? )?(?:my|the) (?:actual |real |main |only |simple |one )?question (?:is|here is)", "what i (?:really )?(?:want|need) to know is"],
  autoReplies: ['automatic reply', 'auto-?reply', 'this is an automated (?:response|reply|message|e-?mail)', 'out of (?:the )?office'],
  away: ["(?:i am|i'm|i will be|i'll be|i shall be) (?:currently |now )?(?:out of (?:the )?office|away from (?:the|my) (?:office|desk)|on (?:annual |parental |maternity |paternity |sick )?leave|on (?:holiday|vacation)|travell?ing|away)"],
  awayNotices: ['with (?:limited|no|intermittent) access to (?:my )?e-?mails?', 'for (?:urgent|immediate) (?:matters|enquiries|inquiries|issues|requests|assistance)', 'in (?:urgent cases|case of (?:an )?(?:urgency|emergency))', '(?:when|once|upon|on|after) my return', '(?:respond|reply|get back to you|answer) (?:to your (?:e-?mail|message) )?(?:as soon as (?:possible|i can) )?(?:when|once|after) i (?:am back|return|get back)'],
  requests: ["i(?:'d| would) like(?: to)?", 'i (?:want|need|wish) to', 'i need (?:a|an|the|my|to)', 'please', 'kindly'],
  joiners: ['and (?:can|could|how|what|when|where|why|which|is|are|do|does|will|would|should)'],
  anaphora: ['it', 'its', 'this', 'that', 'they', 'them', 'these', 'those'],
  dummyIt: [
    'is it', 'was it', 'would it be', 'will it be', "it(?:'s| is) (?:possible|ok|okay|normal)", 'does it take', 'will it take', 'would it take', 'did it take',
    'it takes', 'it take', "how long(?: does| will)? it", "it's been", 'it has been', 'it seems', 'how is it that',
  ],
  selfIntroductions: ["my name is", "my name's", "i am", "i'm", 'this is'],
  titles: ['mr\\.?', 'mrs\\.?', 'ms\\.?', 'miss', 'dr\\.?', 'sir', 'madam'],
  acknowledgements: [
    "(?:that|this|it|which)(?:'s| has| have| is| was)? (?:solved|fixed|sorted|resolved|answered|cleared up|worked|works|did it|did the trick|helped)(?: (?:it|that|the (?:problem|issue)|my (?:problem|issue|question)))?(?: out)?(?: for (?:me|us))?",
    "(?:it|everything|all|that|this)(?: is|'s)? (?:works?|working|fine|ok(?:ay)?|good|sorted|fixed|solved|resolved|back(?: up)?)",
    'all (?:good|sorted|fixed|set|clear|done)', '(?:problem|issue|question) (?:solved|fixed|resolved|sorted|answered)', '(?:i )?got it', '(?:i )?understand', 'understood', 'noted',
    "(?:that's |that is |this is )?(?:perfect|great|awesome|brilliant|excellent|wonderful|fantastic|amazing|super|lovely|cool|nice|helpful|very helpful|clear)",
    'ok(?:ay)?', 'yes', 'yep', 'sure', 'fine', 'much appreciated', '(?:i )?appreciate it', '(?:it |that )?makes sense', '(?:i )?found it',
    '(?:you )?(?:can|may) close (?:the|this|my) (?:ticket|request|case|enquiry|inquiry)', 'no (?:further|more|other) questions',
    '(?:it|the (?:parcel|package|order|refund|money|item|e-?mail|code))(?: has)? (?:arrived|came(?: through)?|turned up|showed up|gone through)',
    'now', 'again', 'today', 'perfectly', 'for me', 'for us', 'never ?mind', 'no worries', 'forget it', 'ignore (?:my|the) (?:last|previous) (?:e-?mail|message)',
  ],
  followUps: [
    'any (?:updates?|news|progress)(?: (?:on|about) (?:this|that|it|my (?:request|ticket|message|e-?mail|case|enquiry|inquiry)))?', "(?:i(?:'m| am) |we(?:'re| are) )?still waiting(?: for (?:an? |your )?(?:answer|reply|response|update))?",
    '(?:just )?(?:following|checking) (?:up|in)(?: on (?:this|my (?:(?:last|previous|earlier) )?(?:request|ticket|message|e-?mail|case)))?', "(?:what(?:'s| is) the )?status(?: of (?:this|my (?:request|ticket|case)))?",
    '(?:did|have) you (?:get|see|receive(?:d)?|got) my (?:last |previous )?(?:e-?mail|message)', 'no (?:answer|reply|response) yet',
  ],
};

const it: LanguagePhrases = {
  greetings: ['buongiorno', 'buon giorno', 'buonasera', 'buona sera', 'buon pomeriggio', 'salve', 'ciao', 'hey', 'ehi', 'saluti'],
  plainGreetings: ['buongiorno', 'buon giorno', 'buonasera', 'buona sera', 'salve', 'ciao'],
  salutations: ['gentile', 'gentili', 'gent\\.(?:mi|mo|ma)?', 'gentilissim[oaie]', 'spettabile', 'spett\\.(?:le)?', 'egregi[oa]?', 'car[oaie]'],
  addressees: [
    'a tutti', 'tutti', 'ragazzi', 'servizio clienti', 'assistenza(?: clienti)?', 'team', 'staff', 'signori', 'signore', 'signora', 'signor[ae]?',
    'customer care', 'supporto(?: clienti)?', 'ufficio [\\p{L}]+', 'di nuovo', 'ancora',
  ],
  signOffs: [
    "grazie(?: (?:mille|tante|ancora|molte|in anticipo|anticipatamente|per l'aiuto|per la (?:disponibilità|cortesia|pazienza|collaborazione)|per l'attenzione|per il supporto))*",
    'cordiali saluti', 'distinti saluti', 'cordialmente', 'saluti', 'un saluto', 'tanti saluti', 'buona giornata', 'buona serata', 'a presto',
    '(?:ti|vi) ringrazio(?: (?:in anticipo|anticipatamente|molto))?', 'con stima', 'un caro saluto',
  ],
  politeness: [
    "grazie(?: mille| tante)?(?: in anticipo| anticipatamente)?(?: per (?:l'aiuto|la (?:disponibilità|collaborazione|pazienza|cortesia)|l'attenzione|il supporto))?",
    'spero (?:che )?(?:mi |ci )?(?:possiate|potete|potrete|possa|potrà) aiutar(?:mi|ci|e)', '(?:resto |rimango )?in attesa di (?:un |una |vostro |vostra |gentile |cortese |un vostro |una vostra |vs\\.? )*(?:riscontro|risposta)',
    'attendo (?:un |vostro |una |vostra |vs\\.? )*(?:riscontro|risposta|notizie)', 'scusate(?: per)? il disturbo', 'buona giornata', '(?:mi )?potete aiutarmi',
  ],
  footers: [
    '(?:questo|il presente) (?:messaggio|e-?mail)[^\\n]{0,160}?(?:riservat|confidenzial)', 'le informazioni contenute (?:in|nel)', '(?:pensa|pensate|rispetta) (?:all\'|l\')ambiente',
    'ai sensi del(?:l\')? ?(?:d\\.? ?lgs|regolamento|gdpr|art)', 'informativa (?:sulla )?privacy', 'avviso di riservatezza',
  ],
  mobileSignatures: ['inviato (?:da|dal|con|tramite) (?:il mio |mio )?[^\\n?!,;]{2,50}'],
  quoteHeaders: ['il giorno .{4,200}ha scritto:?', 'in data .{4,200}ha scritto:?', '-{2,}\\s*messaggio (?:originale|inoltrato)\\s*-{2,}', 'inizio (?:del )?messaggio inoltrato:?'],
  questionStarts: [
    '(?:come|cosa|che cosa|perché|perchè|quando|dove|quale|quali|quanto|quanta|quanti|quante|chi)',
    "(?:posso|possiamo|potete|potreste|può|puoi|potrei|devo|dovrei|si può|si possono|è possibile|sarebbe possibile|c'è|ci sono|avete|mi sapete|sapete|è normale|è vero)",
    'vorrei sapere', 'mi (?:potete|potreste|sapreste) (?:dire|spiegare|indicare)',
  ],
  connectors: ['inoltre', "un'altra (?:cosa|domanda)", 'altra domanda', 'poi', 'infine', 'a parte questo', 'già che ci sono', 'gia che ci sono', 'p\\.?\\s?s\\.?', 'ps'],
  questionMarkers: ['(?:quindi |insomma,? )?la mia (?:vera |unica )?domanda è', '(?:quello|ciò) che (?:voglio|vorrei) sapere è'],
  autoReplies: ['risposta automatica', 'messaggio automatico', 'fuori ufficio'],
  away: ['sono (?:attualmente )?(?:fuori (?:ufficio|sede)|in ferie|assente|in vacanza)', 'sarò (?:fuori (?:ufficio|sede)|in ferie|assente)'],
  awayNotices: ["con (?:accesso limitato|limitato accesso) (?:alla|all')(?:posta|e-?mail)", 'per (?:urgenze|questioni urgenti|casi urgenti)', 'al mio rientro', 'risponderò (?:al più presto )?(?:al mio rientro|quando rientro)'],
  requests: ['vorrei', 'mi serve', 'mi servirebbe', 'ho bisogno', 'per favore', 'per cortesia', 'vi chiedo', 'chiedo'],
  joiners: ['e (?:posso|possiamo|potete|come|quanto|quando|dove|perché|cosa|si può|è possibile|devo|quale|quali)'],
  anaphora: ['questo', 'questa', 'questi', 'queste', 'esso', 'essa', 'ciò', 'quello', 'quella'],
  dummyIt: [],
  selfIntroductions: ['mi chiamo', 'il mio nome è', 'sono', 'io sono'],
  titles: ['sig\\.(?:ra|na)?', 'signor[ae]?', 'dott\\.(?:ssa)?', 'dottor(?:essa)?'],
  acknowledgements: [
    '(?:ho |abbiamo |avete )?risolto', "(?:adesso |ora )?funziona(?: tutto)?", 'tutto (?:ok|a posto|risolto|chiaro|bene)', 'problema risolto',
    '(?:perfetto|ottimo|benissimo|chiaro|ok|va bene|capito|ricevuto|sì|gentilissimi|gentilissimo|gentilissima)', "(?:il pacco |l'ordine |il rimborso )?(?:è |e )?arrivat[oa]",
    '(?:potete|puoi) chiudere (?:il ticket|la (?:richiesta|pratica|segnalazione))', '(?:mi )?(?:è|e) stato (?:molto )?utile', 'ora', 'adesso', 'di nuovo', 'oggi',
  ],
  followUps: ['(?:ci sono )?(?:novità|aggiornamenti)', '(?:sto ancora|siamo ancora) aspettando(?: una risposta)?', 'nessuna risposta', 'avete ricevuto (?:la mia|il mio) (?:e-?mail|messaggio)'],
};

const de: LanguagePhrases = {
  greetings: ['hallo', 'hi', 'hey', 'guten (?:tag|morgen|abend)', 'moin(?: moin)?', 'servus', 'grüß gott', 'grüezi', 'sehr geehrte damen und herren', 'tag', 'morgen'],
  plainGreetings: ['hallo', 'guten (?:tag|morgen|abend)', 'moin', 'servus', 'grüß gott', 'grüezi'],
  salutations: ['sehr geehrte[rs]?', 'liebe[rs]?', 'werte[rs]?'],
  addressees: ['zusammen', 'allerseits', 'nochmal', 'noch ?mal', 'noch einmal', 'team', 'kundenservice(?:-team)?', 'kundendienst', 'support(?:-team)?', 'damen und herren', 'leute'],
  signOffs: [
    // "Danke und Gruß", "Danke & cheers": one alternative, so the words after "Danke" are never read as a name.
    '(?:vielen |herzlichen |besten |tausend )?dank(?:e)?(?: (?:schön|sehr|im voraus|vorab|für (?:ihre|eure|deine) (?:hilfe|mühe|antwort)))*(?: (?:und|&) (?:viele |liebe |beste )?(?:gru(?:ß|ss)|gr(?:ü|ue)(?:ß|ss)e|cheers|lg|vg))?',
    // Written without umlauts and ß too ("Schoene Gruesse", "Mit freundlichen Gruessen"), as keyboards without them spell them.
    'mit (?:freundlichen|besten|herzlichen|lieben) gr(?:ü|ue)(?:ß|ss)en', 'mfg', '(?:viele|liebe|beste|freundliche|herzliche|sch(?:ö|oe)ne|sonnige) gr(?:ü|ue)(?:ß|ss)e',
    'lg', 'vg', 'bg', 'gru(?:ß|ss)', 'gr(?:ü|ue)(?:ß|ss)e', 'sch(?:ö|oe)nen tag(?: noch)?', 'tsch(?:ü|ue)ss', 'ciao',
  ],
  politeness: [
    '(?:vielen |herzlichen )?dank(?:e)?(?: schön| sehr)?(?: im voraus| vorab)?(?: für (?:ihre|eure|deine) (?:hilfe|mühe|unterstützung|antwort))?(?: im voraus)?',
    'ich hoffe,? (?:sie|ihr|du) (?:können|könnt|kannst) mir (?:weiter)?helfen', 'ich freue mich auf (?:ihre|eure|deine) (?:antwort|rückmeldung)',
    'über eine (?:schnelle |kurze |baldige )?(?:antwort|rückmeldung) (?:würde ich mich|freue ich mich)(?: sehr)?(?: freuen)?', 'ich hoffe auf (?:eine )?(?:schnelle |baldige )?(?:antwort|hilfe|rückmeldung)',
    '(?:können|könnten) sie mir (?:bitte )?helfen', 'bitte helfen sie mir',
  ],
  footers: [
    'diese (?:nachricht|e-?mail) wurde (?:über|via|mit) (?:das|ein|dem) kontaktformular',
    'diese (?:e-?mail|nachricht)[^\\n]{0,160}?vertraulich', '(?:bitte )?denken sie an die umwelt', 'wenn sie (?:nicht der (?:richtige|beabsichtigte) (?:adressat|empfänger)|diese (?:e-?mail|nachricht) (?:irrtümlich|versehentlich|fälschlicherweise))',
    'haftungsausschluss', 'vertraulichkeitshinweis', 'pflichtangaben',
  ],
  mobileSignatures: ['von meinem [^\\n?!,;]{2,50} gesendet', 'gesendet (?:von|mit|über) (?:meinem |der )?[^\\n?!,;]{2,50}'],
  quoteHeaders: ['am .{4,200}schrieb.{0,200}:', '-{2,}\\s*(?:ursprüngliche|weitergeleitete) nachricht\\s*-{0,}', 'anfang der weitergeleiteten (?:nachricht|e-?mail):?'],
  questionStarts: [
    '(?:wie|was|warum|wieso|weshalb|wann|wo|woher|wohin|welche[rsmn]?|wer|wem|wen|wieviel|wie viel|wie viele|wie lange)',
    '(?:kann|können|könnte|könnten|darf|dürfen|muss|müssen|soll|sollte|sollen|ist|sind|gibt es|habe|haben|hat|hätte|wird|werden|würde|würden|bekomme|bekommt|bekommen|geht)',
    'ich (?:möchte|würde gerne) wissen', 'ist es möglich',
  ],
  connectors: ['außerdem', 'ausserdem', 'zudem', 'zusätzlich', 'des weiteren', 'desweiteren', 'weiterhin', 'noch eine frage', 'und noch (?:etwas|eine frage|was)', 'eine andere frage', 'wo ich (?:gerade|schon) dabei bin', 'noch etwas anderes', 'p\\.?\\s?s\\.?', 'ps'],
  questionMarkers: ['(?:also |jedenfalls )?meine (?:eigentliche |einzige )?frage (?:ist|lautet)', 'was ich wissen (?:will|möchte) ist'],
  autoReplies: ['automatische antwort', 'abwesenheitsnotiz', 'abwesenheitsnachricht', 'automatisch generierte (?:nachricht|e-?mail)'],
  away: ['(?:ich bin|bin ich) (?:bis|vom|ab|derzeit|zurzeit|momentan)?[^.\\n]{0,40}(?:nicht im (?:büro|hause|haus)|abwesend|im urlaub|außer haus)'],
  awayNotices: ['(?:eingeschränkten|keinen) zugriff auf (?:meine )?e-?mails?', 'in dringenden fällen', 'nach meiner rückkehr', 'ihre (?:e-?mail|nachricht) wird nicht weitergeleitet'],
  requests: ['ich möchte', 'ich will', 'ich brauche', 'bitte', 'ich hätte gerne?'],
  // A German yes/no question starts with its verb: "und bekomme ich", "und brauchen wir".
  joiners: ['und (?:kann|können|darf|wie|wann|wo|was|warum|ist|sind|gibt es|muss|soll|wird|welche[rsmn]?)', 'und \\p{L}+ (?:ich|wir|man)'],
  anaphora: ['es', 'dies', 'diese[rsmn]?', 'ihn', 'dafür', 'davon', 'damit', 'darauf', 'dazu'],
  dummyIt: ['ist es', 'gibt es', 'es gibt', 'geht es', 'es geht', 'wäre es', 'dauert es', 'es dauert'],
  selfIntroductions: ['ich heiße', 'ich heisse', 'mein name ist'],
  titles: ['herr', 'herrn', 'frau', 'dr\\.?'],
  acknowledgements: [
    '(?:es )?(?:hat|hats) (?:geklappt|funktioniert)', '(?:jetzt |nun |wieder )*funktioniert(?: (?:es|alles))?', '(?:es |alles )?(?:klappt|geht)', 'alles (?:klar|gut|ok|erledigt|funktioniert)',
    'problem (?:gelöst|behoben)', '(?:perfekt|super|prima|toll|klasse|spitze|verstanden|erledigt|okay|ok|gut|passt|ja)', '(?:das paket |die bestellung |die erstattung )?(?:ist )?angekommen',
    'sie können (?:das ticket|die anfrage) schließen', 'hat (?:mir |uns )?(?:sehr )?geholfen', 'jetzt', 'wieder', 'heute', 'einwandfrei',
  ],
  followUps: ['(?:gibt es )?(?:schon )?(?:neuigkeiten|etwas neues)', '(?:ich )?warte (?:immer )?noch(?: auf (?:eine )?antwort)?', 'noch keine antwort', 'haben sie meine (?:e-?mail|nachricht) erhalten'],
};

const ru: LanguagePhrases = {
  greetings: ['здравствуйте', 'здраствуйте', 'здравствуй', 'добрый (?:день|вечер)', 'доброе утро', 'доброго (?:дня|времени суток)', 'привет', 'приветствую', 'добрый'],
  plainGreetings: ['здравствуйте', 'здраствуйте', 'добрый (?:день|вечер)', 'доброе утро', 'привет'],
  salutations: ['уважаем(?:ый|ая|ые)', 'дорог(?:ой|ая|ие)'],
  addressees: ['служба поддержки', 'поддержка', 'техподдержка', 'коллеги', 'господа', 'все', 'команда', 'ещё раз', 'еще раз', 'снова'],
  signOffs: [
    'спасибо(?: (?:большое|заранее|огромное|за помощь|за ответ|вам))*', 'заранее (?:спасибо|благодарю)', 'благодарю(?: (?:вас|за помощь|заранее))*',
    'с уважением', 'всего (?:доброго|хорошего)', 'с наилучшими пожеланиями', 'хорошего дня', 'пока',
    // Written in Latin letters ("Spasibo", "S uvazheniem") by customers without a Cyrillic keyboard.
    'spasibo(?: (?:bolshoe|zaranee))?', 's uva(?:zh|j)eniem', 'zaranee spasibo',
  ],
  politeness: [
    '(?:заранее )?(?:большое )?спасибо(?: заранее)?(?: за (?:помощь|ответ|внимание))?', 'заранее благодарю', 'надеюсь на (?:вашу )?(?:помощь|понимание|быстрый ответ)',
    'жду (?:вашего )?(?:ответа|решения)', 'буду (?:очень )?благодар(?:ен|на|ны)(?: за (?:помощь|ответ))?', 'помогите(?:,)? пожалуйста', 'пожалуйста(?:,)? помогите',
  ],
  footers: [
    '(?:это )?сообщение (?:было )?отправлено (?:с помощью|через) (?:форм[уы]|контактн)',
    '(?:это|данное|настоящее) (?:письмо|сообщение|электронное письмо)[^\\n]{0,160}?конфиденциальн', 'конфиденциальн(?:ая|ость)[^\\n]{0,40}информаци',
    'если вы получили (?:это|данное) (?:письмо|сообщение) по ошибке', 'подумайте об окружающей среде',
  ],
  mobileSignatures: ['отправлено (?:с|со|из|через) [^\\n?!,;]{2,50}'],
  quoteHeaders: [
    '.{0,200}(?:пишет|написал|написала|написал\\(а\\))\\s*:', '(?:пн|вт|ср|чт|пт|сб|вс),? .{4,200}г\\.,? в .{4,200}:', '-{2,}\\s*(?:исходное|пересылаемое|пересланное) сообщение\\s*-{2,}', 'начало (?:пересылаемого|переадресованного|пересланного) сообщения:?',
  ],
  questionStarts: [
    '(?:как|что|почему|зачем|когда|где|куда|откуда|какой|какая|какое|какие|каким|сколько|кто|чей|чья|ли)',
    '(?:можно|могу|можете|могли бы|нельзя|возможно ли|есть ли|нужно ли|надо ли|должен ли|должна ли)', '(?:подскажите|скажите|не подскажете|объясните|уточните)',
  ],
  connectors: ['кроме того', 'также', 'и ещё', 'и еще', 'ещё (?:один )?вопрос', 'еще (?:один )?вопрос', 'другой вопрос', 'помимо этого', 'заодно', 'отдельный вопрос', 'p\\.?\\s?s\\.?', 'ps', 'зы'],
  questionMarkers: ['(?:так что |короче,? )?мой (?:главный |основной |единственный )?вопрос(?: такой| в том)?', 'вопрос в (?:том|следующем)'],
  autoReplies: ['автоматический ответ', 'автоответ', 'это автоматическое (?:сообщение|письмо)'],
  away: ['(?:я )?(?:нахожусь|буду) (?:в отпуске|вне офиса|в командировке)', 'я в отпуске', 'меня не будет в офисе', 'буду отсутствовать'],
  awayNotices: ['(?:с )?ограниченным доступом к (?:почте|электронной почте)', 'по срочным вопросам', 'после (?:моего )?возвращения', 'отвечу (?:на ваше письмо )?(?:после|по) возвращени'],
  requests: ['хочу', 'хотел(?:а|и)? бы', 'нужно', 'нужен', 'нужна', 'прошу', 'пожалуйста'],
  joiners: ['и (?:можно|как|когда|где|что|сколько|почему|могу|можете|нужно|есть ли|какой|какие)', 'а (?:можно|как|когда|где|сколько|почему)'],
  anaphora: ['он', 'она', 'оно', 'они', 'его', 'её', 'ее', 'их', 'это', 'этот', 'эта', 'эти', 'него', 'неё', 'нее', 'ним', 'ней'],
  dummyIt: ['это возможно', 'возможно ли это'],
  selfIntroductions: ['меня зовут', 'моё имя', 'мое имя'],
  titles: ['г-н', 'г-жа', 'господин', 'госпожа'],
  acknowledgements: [
    '(?:всё|все) (?:работает|получилось|заработало|в порядке|понятно|ясно|ок|хорошо)', '(?:проблема|вопрос) (?:решена|решён|решен|снят)',
    '(?:помогло|получилось|заработало|работает|разобрался|разобралась)', '(?:отлично|понятно|ясно|хорошо|ок|супер|прекрасно|замечательно|да)',
    '(?:посылка |заказ |деньги )?(?:пришла|пришёл|пришел|пришли|дошла|дошёл|дошел)', 'можно закрывать(?: (?:заявку|тикет|обращение))?', 'теперь', 'снова', 'сегодня',
  ],
  followUps: ['(?:есть )?(?:новости|какие-нибудь новости)', '(?:я )?(?:всё|все) ещё жду(?: ответа)?', 'до сих пор (?:нет ответа|жду)', 'ответа (?:так и )?нет'],
};

const fr: LanguagePhrases = {
  greetings: ['bonjour', 'bonsoir', 'salut', 'coucou', 'madame, monsieur', 'madame,? monsieur', 'messieurs'],
  plainGreetings: ['bonjour', 'bonsoir', 'coucou'],
  salutations: ['cher', 'chère', 'chers', 'chères'],
  addressees: ['à tous', 'tout le monde', "l'équipe", 'équipe', 'service client', 'madame', 'monsieur', 'madame, monsieur'],
  signOffs: [
    "merci(?: (?:beaucoup|d'avance|par avance|pour votre aide|encore))*", '(?:bien )?cordialement', 'bien (?:à|a) vous', 'salutations(?: distinguées)?', 'bonne (?:journée|soirée)',
    'meilleures salutations', 'amicalement', '(?:veuillez agréer|je vous prie d\'agréer)[^\\n]{0,120}',
  ],
  politeness: [
    "merci(?: beaucoup)?(?: d'avance| par avance)?(?: pour votre (?:aide|réponse))?", "j'espère que vous (?:pourrez|pouvez) m'aider", "dans l'attente de votre réponse[^.!?]*",
  ],
  footers: ['ce (?:message|courriel|e-?mail)[^\\n]{0,160}?confidentiel', "pensez à l'environnement", 'avertissement\\s*:'],
  mobileSignatures: ['envoyé (?:de|depuis|avec) (?:mon )?[^\\n?!,;]{2,50}'],
  quoteHeaders: ['le .{4,200}a écrit\\s*:?', '-{2,}\\s*(?:message d\'origine|message transféré)\\s*-{2,}'],
  questionStarts: ['(?:comment|pourquoi|quand|où|quel|quelle|quels|quelles|combien|qui|que|qu\'est-ce)', '(?:est-ce que|puis-je|pouvez-vous|peut-on|est-il possible|y a-t-il)'],
  connectors: ['aussi', 'de plus', 'par ailleurs', 'autre question', 'également', 'p\\.?\\s?s\\.?'],
  questionMarkers: ['(?:donc )?ma (?:vraie |seule )?question est'],
  autoReplies: ['réponse automatique', "message d'absence"],
  away: ["je suis (?:actuellement )?(?:absente?|en congés?|en vacances|hors du bureau)", 'je serai (?:absente?|en congés?|en vacances)'],
  awayNotices: ['pour toute urgence', "(?:accès limité|sans accès) (?:à|aux) (?:mes )?(?:e-?mails?|courriels?|messagerie)", 'à mon retour'],
  requests: ['je voudrais', 'je veux', "j'aimerais", 'merci de', "s'il vous plaît"],
  joiners: ['et (?:comment|est-ce que|puis-je|quand|où|combien|pourquoi|peut-on)'],
  anaphora: ['cela', 'ça', 'ceci'],
  dummyIt: [],
  selfIntroductions: ["je m'appelle", 'mon nom est'],
  titles: ['m\\.', 'mme', 'monsieur', 'madame'],
  acknowledgements: [
    '(?:ça|cela) (?:marche|fonctionne)', 'problème résolu', "(?:c'est )?(?:réglé|résolu|parfait|bon|noté|compris|clair)", "(?:parfait|super|génial|d'accord|ok|oui)",
    'tout (?:fonctionne|marche|est bon)', 'vous pouvez clôturer (?:le ticket|la demande)', 'maintenant', 'à nouveau',
  ],
  followUps: ['(?:des )?nouvelles', "(?:j'attends|nous attendons) toujours(?: une réponse)?", 'toujours pas de réponse'],
};

const es: LanguagePhrases = {
  greetings: ['hola', 'buen(?:os)? días', 'buenas(?: tardes| noches)?', 'saludos'],
  plainGreetings: ['hola', 'buen(?:os)? días', 'buenas (?:tardes|noches)'],
  salutations: ['estimad[oa]s?', 'querid[oa]s?'],
  addressees: ['a todos', 'equipo', 'servicio al cliente', 'señor(?:es)?', 'señora'],
  signOffs: [
    '(?:muchas )?gracias(?: (?:de antemano|por adelantado|por (?:su|tu) ayuda))*', 'saludos(?: cordiales)?', 'un saludo', 'atentamente', 'cordialmente', 'un abrazo',
  ],
  politeness: ['(?:muchas )?gracias(?: de antemano| por adelantado)?(?: por (?:su|tu) ayuda)?', 'espero que (?:puedan|pueda|puedas) ayudarme', 'quedo a la espera de (?:su|tu) respuesta'],
  footers: ['este (?:mensaje|correo)[^\\n]{0,160}?confidencial', 'antes de imprimir', 'aviso (?:legal|de confidencialidad)'],
  mobileSignatures: ['enviado (?:desde|con) (?:mi )?[^\\n?!,;]{2,50}'],
  quoteHeaders: ['el .{4,200}escribió\\s*:?', '-{2,}\\s*mensaje (?:original|reenviado)\\s*-{2,}'],
  questionStarts: ['¿', '(?:cómo|qué|por qué|cuándo|dónde|cuál|cuáles|cuánto|cuánta|cuántos|quién)', '(?:puedo|pueden|puede|se puede|es posible|hay)'],
  connectors: ['además', 'también', 'otra pregunta', 'por otro lado', 'p\\.?\\s?s\\.?'],
  questionMarkers: ['(?:entonces )?mi (?:verdadera |única )?pregunta es'],
  autoReplies: ['respuesta automática', 'mensaje automático'],
  away: ['(?:estoy|estaré) (?:fuera de la oficina|de vacaciones|ausente)'],
  awayNotices: ['para (?:asuntos|temas|casos) urgentes', 'a mi regreso', 'acceso limitado al correo'],
  requests: ['quisiera', 'quiero', 'necesito', 'por favor'],
  joiners: ['y (?:cómo|puedo|cuándo|dónde|se puede|cuánto|qué)'],
  anaphora: ['eso', 'esto', 'ello'],
  dummyIt: [],
  selfIntroductions: ['me llamo', 'mi nombre es'],
  titles: ['sr\\.?', 'sra\\.?', 'señor', 'señora', 'don', 'doña'],
  acknowledgements: [
    '(?:ya )?funciona', 'problema (?:resuelto|solucionado)', '(?:todo )?(?:solucionado|resuelto|claro|bien|perfecto|listo)', '(?:perfecto|genial|vale|entendido|de acuerdo|ok|sí)',
    'ya está', '(?:pueden|puedes) cerrar (?:el ticket|la solicitud)', 'ahora', 'de nuevo',
  ],
  followUps: ['(?:alguna )?novedad(?:es)?', '(?:sigo|seguimos) esperando(?: respuesta)?', 'todavía sin respuesta'],
};

export const phrasesByLanguage: Readonly<Record<string, LanguagePhrases>> = Object.freeze({ en, it, de, ru, fr, es });

/** `de-AT` → `de`; empty or missing → undefined. */
export function primaryLanguage(language: string | undefined): string | undefined {
  const primary = language?.trim().toLowerCase().split(/[-_]/)[0];
  return primary || undefined;
}

/**
 * The tables for a language: its own (English too for English), or every language's when the
 * language is unknown or has no table. Question words differ in meaning between languages
 * (German "Also," is "so", not "also"), so a known language uses only its own.
 */
export function phrasesFor(language: string | undefined): LanguagePhrases[] {
  const primary = primaryLanguage(language);
  const own = primary ? phrasesByLanguage[primary] : undefined;
  return own ? [own] : Object.values(phrasesByLanguage);
}

/** Every language's tables: greetings, sign-offs and footers are removed whatever the message's language. */
export const allPhrases: readonly LanguagePhrases[] = Object.values(phrasesByLanguage);

// Unicode-aware word edges: \b only knows ASCII letters, which breaks on "Grüße" or "спасибо".
export const B = String.raw`(?<![\p{L}\p{N}_])`;
export const E = String.raw`(?![\p{L}\p{N}_])`;

/** One alternation of the given field over the tables, longest first, apostrophes matching ' and ’. */
export function alternation(tables: readonly LanguagePhrases[], field: keyof LanguagePhrases): string {
  const sources = [...new Set(tables.flatMap((table) => table[field]))];
  // Longest first, so "thank you in advance" wins over "thank you".
  sources.sort((a, b) => b.length - a.length);
  return `(?:${sources.map((source) => source.replace(/'/g, "['’]")).join('|')})`;
}

/** A case-insensitive Unicode regular expression (other flags as given). */
export const pattern = (source: string, flags = 'iu'): RegExp => new RegExp(source, flags);
