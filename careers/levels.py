"""The proficiency scale: what a required level and a person's own rating mean, 0 to 4.

Plain values, no ORM: the catalog sets requirements on this scale and the scoring code reads
ratings on it, so both import it from here, and the catalog depends on nothing of the
questionnaire's.
"""

MAX_LEVEL = 4

# What each level means, in plain language: (number, title, description).
LEVELS = [
    (0, "Never done it", "I have not done this, or only watched someone else do it."),
    (1, "Beginner", "I have tried it a few times and still need someone to guide me."),
    (2, "Can do it with help", "I can do the usual tasks, checking instructions or asking now and then."),
    (3, "Can do it on my own", "I do this regularly without help and can handle the unusual cases."),
    (4, "Could teach it", "I could train someone else and sort out problems when things go wrong."),
]
