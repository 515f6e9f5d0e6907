"""French stance cues, in the form and priority order of the English ones (``stance``).

Patterns run on lower-cased text with quotes straightened, accents folded ("à" is "a", "été" is
"ete") and the spaces French puts before ``! ? : ;`` (often no-break ones) made plain, so
"Tout à fait !" and "Tout a fait!" read alike. Negation is "ne ... pas" with words between
("je ne suis pas d'accord", "je n'y crois pas") or "pas" alone in speech ("pas d'accord", "c'est
pas vrai"): negated agreement is its own cue, ahead of the agreement it negates.
Hand-written from how French replies agree and object, not measured on labelled French threads.
"""

from __future__ import annotations

# (pattern, weight), highest priority first; < 0 rebuts, > 0 supports, 0 takes no side.
CUES: list[tuple[str, float]] = [
    # Set phrases that look like cues but take no side.
    (
        r"\b(?:corrige(?:z)?-moi si je me trompe|si je ne me trompe pas|si je ne m'abuse|"
        r"sauf erreur de ma part|sans (?:aucun )?doute|ne (?:vous meprenez|te meprends) pas|"
        r"non seulement)\b",
        0.0,
    ),
    (r"\bje ne (?:pourrais|peux) (?:pas )?(?:etre )?plus d'accord\b", 3.0),
    (r"\b(?:c'est |ce n'est )?pas faux\b", 2.5),
    # Conceding a point on the way to an objection: "vous avez raison sur X, mais ...".
    (r"\b(?:vous avez|tu as) (?:\w+ )?raison\b[^.;!?]*?\bmais\b", -2.0),
    # Agreement in a subordinate clause is faint.
    (r"\b(?:bien que|meme si|quoique) je (?:\w+ ){0,2}(?:sois|suis) (?:\w+ )?d'accord\b", 0.5),
    # Disagreement spelled out, and negated agreement (before the plain agreement cues).
    (
        r"\bje (?:ne )?(?:suis|serais|serai) (?:\w+ )?pas (?:du tout |vraiment |tout a fait |"
        r"entierement |totalement )?d'accord\b|"
        r"\b(?:pas|absolument pas|pas du tout|pas vraiment|pas tout a fait) d'accord\b|"
        r"\bje (?:ne )?(?:suis|partage) pas (?:de )?(?:votre|ton|cet|cette|ce|vos|tes) "
        r"(?:avis|point de vue|opinion|analyse)\b|"
        r"\bje suis (?:\w+ )?en desaccord\b|\bje (?:conteste|m'inscris en faux)\b",
        -3.0,
    ),
    # Concessions: the writer grants the point answered ("j'avais tort" is not a rebuttal).
    (
        r"\b(?:j'(?:ai eu|avais) tort|je me (?:suis trompee?|trompais)|je l'admets|je (?:vous|te) "
        r"l'accorde|je dois (?:l')?admettre|(?:vous m'avez|tu m'as) convaincue?|point pour (?:vous|toi))\b",
        2.5,
    ),
    (
        r"\b(?:oui|ouais|certes|bien sur|ok|okay|c'est vrai|peut-etre|admettons),? mais\b",
        -2.0,
    ),
    (
        r"\b(?:c'est|c'etait|ce serait|cela est|ceci est|ca, c'est) (?:\w+ )?(?:completement |"
        r"totalement |tout simplement |absolument |archi)?(?:faux|inexact|errone|incorrect|mensonger)\b|"
        r"\b(?:vous avez|tu as) (?:\w+ )?tort\b|\b(?:vous n'avez|tu n'as) (?:\w+ )?pas raison\b|"
        r"\b(?:vous vous trompez|tu te trompes)\b",
        -3.0,
    ),
    (
        r"\b(?:ce n'est|c'est|ca n'est|cela n'est) (?:\w+ )?pas (?:du tout )?(?:vrai|exact|juste|"
        r"correct|le cas)\b|\bpas vrai\b",
        -3.0,
    ),
    (r"\b(?:bien )?au contraire\b|\bc'est (?:tout )?(?:le contraire|l'inverse)\b", -3.0),
    (
        r"^(?:n'importe quoi|absurde|ridicule|foutaises|balivernes|sornettes)\b|"
        r"\b(?:racontez|racontes|raconte|dites|dis|ecrivez|ecris) (?:\w+ )?n'importe quoi\b|"
        r"\b(?:c'est|quelle?s?|pure?s?|totalement|completement) (?:\w+ )?(?:n'importe quoi|absurde|"
        r"ridicule|foutaises|balivernes|sornettes|des betises|betise)\b",
        -2.5,
    ),
    (r"\bje n'ai (?:jamais|pas) (?:\w+ )?(?:dit|ecrit|pretendu|affirme|suggere)\b", -2.5),
    (
        r"\b(?:vous (?:confondez|oubliez|ignorez|melangez)|tu (?:confonds|oublies|ignores|melanges)|"
        r"(?:vous n'avez|tu n'as) (?:\w+ )?pas compris)\b",
        -2.0,
    ),
    (
        r"\b(?:avec tout (?:le|mon) respect|sauf (?:votre|ton) respect|(?:desole|pardon),? mais)\b",
        -1.5,
    ),
    (
        r"\bje ne (?:le |la |les )?(?:pense|crois|vois) pas\b|\bje n'(?:y|en) crois pas\b|"
        r"\bje ne sais pas si\b|"
        r"\bje (?:doute|ne suis pas (?:si |tres |vraiment )?(?:sure?|convaincue?))\b|\bpas si sure?\b",
        -2.0,
    ),
    (r"\b(?:cela|ca|ceci) ne (?:veut|prouve|signifie|montre|implique)\b", -2.0),
    (r"\bpas (?:forcement|necessairement)\b", -2.0),
    (
        r"^(?:absolument pas|pas du tout|certainement pas|surement pas|pas vraiment)(?:\s*[,.!;:]|\s*$)|"
        r"\b(?:ca|cela) n'a (?:pas de|aucun) sens\b",
        -2.0,
    ),
    (r"\b(?:trompeur|fallacieux|hors sujet|a cote de la plaque)\b", -2.0),
    (r"^(?:non|faux|que nenni)(?:\s*[,.!;:]|\s*$)", -3.0),
    (r"\ble (?:probleme|souci|hic)(?:,| c'est| est)", -1.5),
    (r"^(?:en fait|en realite|en verite)\b", -1.5),
    # Agreement and endorsement.
    (
        r"\bje (?:suis|serais) (?:\w+ ){0,2}d'accord\b|\b(?:entierement|totalement|tout a fait|"
        r"completement|bien|100 ?%) d'accord\b|\bje partage (?:\w+ ){0,2}(?:avis|point de vue|"
        r"analyse)\b|\bje (?:vous |te )rejoins\b|\bje suis de (?:votre|ton) avis\b",
        3.0,
    ),
    (
        r"\b(?:bien dit|bien vu)\b|\+1\b|^(?:c'est )?exactement (?:ce que|ca)\b|"
        r"^(?:exactement|absolument|tout a fait|precisement|bravo|voila|d'accord|justement)"
        r"(?:\s*[.,!;:]|\s*$)",
        3.0,
    ),
    (r"\b(?:vous avez|tu as) (?:\w+ )?raison\b", 3.0),
    (
        r"\b(?:(?:tres )?bonne|excellente|juste|pertinente) (?:remarque|observation|question|analyse)\b|"
        r"\b(?:bon|excellent|tres bon) (?:point|argument)\b|\bremarque (?:tres )?(?:juste|pertinente)\b",
        2.5,
    ),
    (
        r"\b(?:c'est|c'etait|cela est) (?:tout a fait |tres |bien |absolument )?(?:vrai|exact|juste|correct)\b",
        2.5,
    ),
    (
        r"\b(?:excellent|bon|tres bon) (?:article|texte|billet)\b|\bmerci (?:pour|de) (?:cet|cette|ce|"
        r"votre|ton) (?:article|texte|billet|analyse|partage)\b",
        2.0,
    ),
    (
        r"\b(?:moi aussi|pareil pour moi|de meme|comme vous (?:le )?dites|comme tu (?:le )?dis)\b",
        1.5,
    ),
    (r"^(?:oui|ouais|vrai|exact|effectivement|en effet)\b", 1.5),
    # Contrast opening a sentence: weak alone, but it adds up.
    (r"^(?:mais|cependant|pourtant|toutefois|neanmoins)\b", -1.0),
]

# A negator just before a support cue turns it ("pas juste", "jamais d'accord").
NEGATOR = r"\b(?:pas|jamais|guere|nullement|aucunement)\s+(?:\w+\s+)?$"
# Any negation, for "denies the target in its own words" (``relations``).
NEGATION = r"\bn'|\b(?:ne|pas|jamais|aucun|aucune|rien|ni|sans|nullement)\b"
