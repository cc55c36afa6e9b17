"""The level scales: what a required level and a person's own rating mean.

Plain values, no ORM: the catalog sets requirements on these scales and the scoring code reads
ratings on them, so both import them from here, and the catalog depends on nothing of the
questionnaire's.

Two scales, never converted into each other:

- the guide's 0-4 scale (MAX_LEVEL), whose five levels say how independently a person does
  the work (LEVELS), each guide skill with its own example per level;
- O*NET's 0-7 level scale (ONET_MAX_LEVEL), whose levels say how demanding the work is, with
  O*NET's own examples ("anchors") at the levels O*NET gives them: 2, 4 and 6 of each skill; for
  a knowledge area wherever O*NET puts them (Medicine and Dentistry: 1, 5 and 7).
"""

import math

MAX_LEVEL = 4  # the guide's scale
ONET_MAX_LEVEL = 7
SCALES = (MAX_LEVEL, ONET_MAX_LEVEL)

# What each level of the guide's scale means, in plain language: (number, title, description).
LEVELS = [
    (0, "Never done it", "I have not done this, or only watched someone else do it."),
    (1, "Beginner", "I have tried it a few times and still need someone to guide me."),
    (2, "Can do it with help", "I can do the usual tasks, checking instructions or asking now and then."),
    (3, "Can do it on my own", "I do this regularly without help and can handle the unusual cases."),
    (4, "Could teach it", "I could train someone else and sort out problems when things go wrong."),
]


def as_asked(required, scale_max):
    """A required level as a person reads it and rates against it.

    O*NET's levels are survey means with two decimals (3.62 of 7). People rate in whole levels,
    so an O*NET level is read at the nearest whole level, halves up (3.62 is level 4): choosing
    that level meets it exactly. The guide's levels are set in whole and half levels of its own
    0-4 scale and are read as they are (2.5 is met by 3, and 2 is half a level short). Every
    page and every figure uses this one reading.
    """
    if int(scale_max) == ONET_MAX_LEVEL:
        # Catalog levels have two decimals, so adding a half and flooring rounds halves up exactly.
        return math.floor(float(required) + 0.5)
    return float(required)
