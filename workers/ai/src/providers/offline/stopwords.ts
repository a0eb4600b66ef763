/**
 * Stopwords: the words that delimit RAKE's candidate phrases and that the
 * summary does not count. English is complete (after the SMART and NLTK lists,
 * trimmed); the other languages have their function words, enough to split
 * phrases. A language without a list uses English: client texts in any language
 * often mix in English.
 */

const list = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean));

const en = list(`
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
either else etc even ever every few for from further get gets got had hadn't has hasn't have haven't having he
he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in into
is isn't it it's its itself just let's like made make many may me might more most much must mustn't my myself
need needs no nor not now of off often on once only or other ought our ours ourselves out over own per please
quite rather really same shall shan't she she'd she'll she's should shouldn't since so some such than that
that's the their theirs them themselves then there there's these they they'd they'll they're they've this
those though through thus to too under until up upon us very via want wants was wasn't we we'd we'll we're
we've were weren't what what's when when's where where's whether which while who who's whom whose why why's
will with within without won't would wouldn't yet you you'd you'll you're you've your yours yourself
yourselves one two three able across along already although among around ask asked away back well
`);

const byLanguage: Record<string, ReadonlySet<string>> = {
  en,
  de: list(`aber alle als also am an auch auf aus bei bin bis bitte da damit dann das dass dem den der des die dies
    diese dieser du durch ein eine einem einen einer eines er es für gibt hat hatte haben ich ihr im in ist ja
    kann kein keine man mit muss nach nicht noch nur ob oder sehr sich sie sind so soll über um und uns unser
    unsere unseren vom von vor war was weil wenn werden wie wir wird wollen zu zum zur`),
  fr: list(`à au aussi aux avec avons avoir ce cela ces cet cette comme dans de des donc du elle en est et être
    il ils je la le les leur leurs lui mais me même mes mon ne nos notre nous on ou où par pas pour qu que qui
    sa sans se ses si son sont sur ta te tes toi ton tous tout très tu un une vos votre vous y d l j n s c qu'il
    d'un d'une l'on`),
  es: list(`a al algo ante como con cual cuando de del desde donde el ella ellos en entre era es esa ese eso esta
    este esto estos está están fue ha hay la las le les lo los más me mi mis muy necesitamos no nos nosotros
    nuestra nuestro nuestros o para pero por que qué se sea ser si sin sobre son su sus también te tiene un
    una uno unos y ya yo`),
  it: list(`a al alla alle anche che ci come con da dal dalla dei del della delle di e è gli ha hanno i il in la
    le lo ma mi ne nel nella noi non nostra nostro o per più quella quello questa questo se si sia sono su sua
    suo tra un una uno vi`),
  pt: list(`a ao aos as até com como da das de do dos e é ela ele eles em entre era essa esse esta este eu foi há
    isso já lhe mais mas me meu minha muito na nas no nos nós não o os ou para pela pelo por precisamos que se
    sem ser seu sua são também te tem um uma uns você`),
  nl: list(`aan al als bij dan dat de den der deze die dit doen door een en er haar had heb heeft het hij hoe
    ik in is je kan maar me met mij naar niet nog nu of om onder ons onze ook op over te tot u uit van veel
    voor want was wat we wel wij wordt zal ze zich zij zijn zo`),
  ru: list(`а без более бы был была были было быть в вам вас весь во вот все всё всех вы где да даже для до его ее её
    если есть еще ещё же за здесь и из или им их к как когда кто ли либо мне может мы на над нам нас не него нее
    неё нет ни них но ну о об он она они оно от очень по под после при с со так также такой там те тем то того
    тоже только том ты у уже хотим чем что чтобы эта эти это этот я`),
};

/** The stopwords of a language (ISO 639-1), English when there is no list for it. */
export function stopwordsFor(code: string): ReadonlySet<string> {
  return byLanguage[code] ?? en;
}
