"""Inline training examples (written for these tests) and a quick training setup."""

from moderation.classifier import TrainingConfig

# A fixed C and three calibration folds keep each fit well under a second.
QUICK = TrainingConfig(c_grid=(10.0,), log_count_ratio=(False,), calibration_folds=3)

SPAM = [
    "Buy cheap watches online!!! Visit http://cheap-watches.biz now",
    "EARN $500 A DAY FROM HOME, click www.easy-money.com",
    "Best online casino bonus, free spins at http://casino-win.ru",
    "Check out my channel and subscribe!!! http://youtube.com/x",
    "Make money fast, casino jackpot, call 0800123456 today",
    "Free iPhone giveaway, click the link: bit.ly/free-phone",
    "Виграй гроші в онлайн казино! Переходь на http://kazyno.ua",
    "Заработок в интернете от 1000$ в день, пиши в телеграм @money_bot",
    "vygraj groshi v kazyno, perehody na sajt kazyno-top.com",
    "CHEAP PILLS NO PRESCRIPTION www.pharma-deal.net",
    "Work from home and earn $$$ click here http://job-offer.info",
    "Casino bonus 200% on first deposit!!! http://bet-now.xyz",
    "Promo code for free money, subscribe and win http://win.tk",
    "Hot singles in your area, click www.dating-now.com",
    "Crypto investment doubles your money in a week, DM me",
    "Купуй дешеві ліки без рецепта на pharma-ua.com",
    "Click here to claim your prize!!! http://prize.biz",
    "Earn money online, no experience needed, visit www.job.biz",
    "Free followers and likes, visit http://likes4u.me",
    "Loans with no credit check, apply now www.fastloan.com",
]
HAM = [
    "The council should publish the full budget before the vote.",
    "I disagree with the author: the bridge repairs took too long.",
    "Thanks for the detailed report on the school closures.",
    "My grandmother lived on this street for forty years.",
    "The mayor's statement does not answer the question about costs.",
    "Good article, but the photo caption names the wrong square.",
    "Дякую за статтю, нарешті хтось написав про ремонт доріг.",
    "Согласен с автором, транспорт в городе работает плохо.",
    "dyakuyu za stattyu, duzhe korysno",
    "Is there a timetable for the new tram line?",
    "The interview with the nurses was moving and well written.",
    "Parking near the stadium is impossible on match days.",
    "Why was the library closed again this weekend?",
    "Коли відкриють новий міст через річку?",
    "The referee made the right call in the second half.",
    "I hope the city plants more trees along the river.",
    "Clear explanation of the new tax rules, thank you.",
    "The museum exhibition is worth a visit with children.",
    "This reminds me of the floods in 2010.",
    "Will the council hold a public hearing on the plan?",
]
SPOILERS = [
    "In the finale the detective turns out to be the killer.",
    "She dies at the end of the second season.",
    "The twist is that the narrator was dead all along.",
    "Spoiler: the hero's father is the villain.",
    "The last episode reveals that the twins were swapped at birth.",
    "He gets killed in the final battle.",
    "It turns out the doctor poisoned the whole family.",
    "The ending reveals the city was a simulation.",
    "They get married in the last chapter, and then she dies.",
    "The killer is revealed to be the butler in the final scene.",
]
NOT_SPOILERS = [
    "The first episode airs on Friday evening.",
    "The cast includes several theatre actors.",
    "The soundtrack was recorded in Lviv.",
    "I liked the costumes and the set design.",
    "The series is based on a novel from the nineties.",
    "Filming took place over two summers.",
    "The director previously made documentaries.",
    "Tickets for the premiere sold out quickly.",
    "The show has been renewed for another season.",
    "The dubbing into Ukrainian is very good.",
]
