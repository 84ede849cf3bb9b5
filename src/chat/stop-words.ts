/**
 * Words too common to say anything about a speaker or a chat: Russian and
 * English function words, pronouns, auxiliaries and fillers. Stored in lower
 * case with ё folded to е, as `scanText` produces them.
 */
const RUSSIAN = `
а без более больше будет будто бы был была были было быть в вам вас вдруг ведь во вот впрочем все всегда всего всех всю вы
где да даже два для до другой его ее ей ему если есть еще же за зачем здесь и из или им иногда их к как какая какой
когда конечно кто куда ли лучше между меня мне много может можно мой моя мы на над надо наконец нас не него нее ней нельзя
нет ни нибудь никогда ним них ничего но ну о об один он она они опять от перед по под после потом потому почему почти при
про раз разве с сам свою себе себя сейчас со совсем так такой там тебе тебя тем теперь то тогда того тоже только том тот три
тут ты у уж уже хорошо хоть чего чей чем через что чтоб чтобы чуть эти этого этой этом этот эту это я
сегодня вообще просто типа кстати короче значит вроде тоже либо пусть будем буду будешь будут есть был всё весь вся всем
нам ним них кому чему кем чем мой моё мои моего твой твоя твое твои свой своя свои наш наша наши ваш ваша ваши
этих тех той тому теми где-то кто-то что-то как-то какой-то когда-то чего-то кого-то из-за из-под
очень тоже ага угу ок окей ладно щас сейчас вот-вот пока ещё еще надо нужно можно был была было были есть нет да
кстати вон который которая которое которые которых котором
`;

const ENGLISH = `
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him himself
his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you your yours
yourself yourselves im ive id ill youre youve dont doesnt didnt cant couldnt wont wouldnt isnt arent wasnt werent
its thats theres whats lets also yeah yes ok okay like get got one really well even much many still
`;

export const STOP_WORDS: ReadonlySet<string> = new Set(
  [...RUSSIAN.split(/\s+/), ...ENGLISH.split(/\s+/)].filter((w) => w.length > 0),
);

/** True for words that carry no meaning of their own (see {@link STOP_WORDS}). */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
