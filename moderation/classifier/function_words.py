"""Function words of English, Ukrainian and Russian: never a reason shown to a person.

A linear model may lean on "me", "and" or "его" (they correlate with a class in its
training data), but a moderator reading 'word "and"' learns nothing, and a reader
would rightly call it nonsense. Explanations leave such features out (model.explain);
the model keeps its weights, which are a matter for its training data.
"""

from __future__ import annotations

import re

_ENGLISH = """
a an the and or but nor so yet if then than that this these those there here
i me my mine myself we us our ours you your yours he him his she her hers it its
they them their theirs who whom whose which what when where why how
am is are was were be been being do does did done have has had having
will would shall should can could may might must not no yes
to of in on at by for from with without about into onto over under up down out off
as just also too very only all any some each every both either neither such own same
again once more most much many few other s t don doesn didn isn aren wasn weren won
m re ve ll d im ive youre hes shes theyre thats dont cant
"""

_UKRAINIAN = """
і й та а але або чи що щоб як коли де куди звідки чому бо тому же ж би б не ні
я мене мені мною ми нас нам нами ти тебе тобі тобою ви вас вам вами
він його йому ним ньому вона її їй нею вони їх їм ними воно
мій моя моє мої твій твоя твоє твої свій своя своє свої наш наша наше наші ваш ваша
цей ця це ці той та те ті такий така таке такі весь вся все всі
в у на з із зі до від по за про під над при для без через між перед після біля
є був була було були бути буде будуть це так теж також ще вже лише тільки навіть
"""

_RUSSIAN = """
и а но или что чтобы как когда где куда откуда почему потому же ж бы б не ни
я меня мне мной мы нас нам нами ты тебя тебе тобой вы вас вам вами
он его ему им нём она её ей ею они их ими оно
мой моя моё мои твой твоя твоё твои свой своя своё свои наш наша наше наши ваш ваша
этот эта это эти тот та то те такой такая такое такие весь вся всё все
в во на с со к ко до от по за про под над при для без через между перед после у о об
есть был была было были быть будет будут так тоже также ещё уже лишь только даже вот
"""

FUNCTION_WORDS: frozenset[str] = frozenset(
    word for block in (_ENGLISH, _UKRAINIAN, _RUSSIAN) for word in block.split()
)

# The quoted text of an explanation label: 'word "and"', 'phrase "and me"',
# 'fragment "me,"' (a token with punctuation).
_QUOTED = re.compile(r'^(?:word|phrase|fragment) "(.*)"$')
_WORD = re.compile(r"[^\W_]+")


def is_function_word(word: str) -> bool:
    return word.lower() in FUNCTION_WORDS


def names_only_function_words(feature: str) -> bool:
    """Whether an explanation's label names a word, phrase or fragment made of
    function words alone ('word "me"', 'phrase "and his"', 'fragment "me,"'); other
    labels (links, signals) are left as they are.
    """
    match = _QUOTED.match(feature)
    if match is None:
        return False
    words = _WORD.findall(match.group(1))
    return bool(words) and all(is_function_word(word) for word in words)
