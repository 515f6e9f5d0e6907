"""Spanish stance cues, in the form and priority order of the English ones (``stance``).

Patterns run on lower-cased text with quotes straightened, accents folded ("sí" is "si",
"razón" is "razon") and the opening "¡" and "¿" made spaces, so a reply opening "¡Exacto!" opens
with "exacto". Negation comes first ("no estoy de acuerdo", "no es cierto", "no tienes razón"):
negated agreement is its own cue, ahead of the agreement it negates, and a support cue just after
"no" turns. Without its accent "si" is also "if", so it counts only as "Sí," / "Sí, pero".
Hand-written from how Spanish replies agree and object, not measured on labelled Spanish threads.
"""

from __future__ import annotations

# (pattern, weight), highest priority first; < 0 rebuts, > 0 supports, 0 takes no side.
CUES: list[tuple[str, float]] = [
    # Set phrases that look like cues but take no side.
    (
        r"\b(?:corrigeme si me equivoco|corrijame si me equivoco|si no me equivoco|"
        r"si mal no recuerdo|no me malinterpretes|no me malinterprete|sin duda(?: alguna)?|"
        r"no solo|no cabe duda)\b",
        0.0,
    ),
    (r"\bno (?:podria|puedo) estar mas de acuerdo\b", 3.0),
    # Conceding a point on the way to an objection: "tienes razón en X, pero ...".
    (r"\b(?:tienes|tiene|teneis|tienen) (?:\w+ ){0,2}razon\b[^.;!?]*?\bpero\b", -2.0),
    # Agreement in a subordinate clause is faint.
    (r"\b(?:aunque|si bien) (?:\w+ ){0,2}(?:estoy|este) (?:\w+ )?de acuerdo\b", 0.5),
    # Disagreement spelled out, and negated agreement (before the plain agreement cues).
    (
        r"\b(?:discrepo|disiento|no concuerdo|no coincido)\b|\bestoy en (?:total )?desacuerdo\b|"
        r"\b(?:no|nunca|jamas) (?:\w+ ){0,2}(?:estoy|estamos|estare|estaria) (?:\w+ ){0,2}de acuerdo\b|"
        r"\bno comparto\b|\b(?:nada|para nada) de acuerdo\b",
        -3.0,
    ),
    # Concessions: the writer grants the point answered ("me equivoqué" is not a rebuttal).
    (
        r"\b(?:me equivoque|estaba equivocad[oa]|me he equivocado|lo admito|lo reconozco|"
        r"(?:me has|me ha) convencido|punto para ti)\b",
        2.5,
    ),
    (r"\b(?:si,|vale,?|claro,|cierto,|bueno,|ok,?|es verdad,?|puede ser,?) pero\b", -2.0),
    (
        r"\b(?:eso|esto|lo que dices|lo que dice) (?:\w+ )?(?:es|son|era) (?:completamente |"
        r"totalmente |simplemente |absolutamente )?(?:falso|mentira|incorrecto|erroneo)\b|"
        r"\b(?:te equivocas|se equivoca|os equivocais|estas (?:muy )?equivocad[oa])\b",
        -3.0,
    ),
    (r"\bno (?:es|son|era) (?:\w+ )?(?:cierto|verdad|asi|correcto|exacto)\b", -3.0),
    (r"\b(?:al contrario|todo lo contrario|es al reves)\b", -3.0),
    (
        r"^\s*(?:tonterias|absurdo|ridiculo|disparates?|chorradas)\b|"
        r"\b(?:eso es|que|menuda|vaya|pura|puras) (?:\w+ )?(?:tonterias?|absurdo|ridiculo|disparate|"
        r"chorradas?)\b",
        -2.5,
    ),
    (
        r"\b(?:yo )?(?:nunca|no) (?:he )?(?:dicho|dije|afirmado|afirme|escrito|escribi|sugerido)\b",
        -2.5,
    ),
    (r"\b(?:confundes|olvidas|ignoras|no entiendes|no has entendido|no entendiste)\b", -2.0),
    (r"\b(?:con todo (?:el )?respeto|(?:lo siento|perdona|perdone|disculpa),? pero)\b", -1.5),
    (
        r"\bno (?:lo )?(?:creo|pienso|veo)\b|\bdudo\b|\bno estoy (?:\w+ )?(?:segur[oa]|convencid[oa])\b|"
        r"\bno (?:se|sabria decir) si\b",
        -2.0,
    ),
    (r"\b(?:eso|esto|lo cual) no (?:significa|quiere decir|demuestra|prueba|implica)\b", -2.0),
    (r"\bno tiene (?:ningun |mucho )?sentido\b", -2.0),
    (r"\bno necesariamente\b", -2.0),
    (r"\b(?:enganoso|tergiversa\w*|fuera de lugar)\b", -2.0),
    (r"^\s*(?:no|falso|para nada|en absoluto|nada de eso)(?:\s*[,.!;:]|\s*$)", -3.0),
    (r"\bel (?:problema|fallo) (?:es|esta|con|aqui)\b", -1.5),
    (r"^\s*(?:en realidad|de hecho)\b", -1.5),
    # Agreement and endorsement.
    (
        r"\b(?:estoy|estamos) (?:\w+ ){0,2}de acuerdo\b|\b(?:totalmente|completamente|muy) de acuerdo\b|"
        r"\b(?:concuerdo|coincido)\b|\bcomparto (?:\w+ ){0,2}(?:opinion|punto de vista|analisis)\b",
        3.0,
    ),
    (
        r"\b(?:bien dicho|muy bien dicho)\b|\+1\b|^\s*claro que si\b|"
        r"^\s*(?:exacto|exactamente|efectivamente|precisamente|totalmente|de acuerdo|correcto|"
        r"asi es|eso es|bravo)(?:\s*[.,!;:]|\s*$)",
        3.0,
    ),
    (r"\b(?:tienes|tiene|teneis|tienen) (?:\w+ ){0,2}razon\b", 3.0),
    (
        r"\b(?:buen|excelente|gran|interesante|muy buen) (?:punto|argumento|aporte|comentario)\b|"
        r"\b(?:buena|excelente|gran|muy buena) (?:observacion|reflexion|pregunta)\b",
        2.5,
    ),
    (r"\b(?:es|eso es|esto es) (?:muy |totalmente |completamente )?(?:cierto|verdad)\b", 2.5),
    (
        r"\b(?:excelente|buen|gran) (?:articulo|texto|analisis)\b|\bgracias por (?:el|este|esta|tu|su) "
        r"(?:articulo|texto|analisis|aporte|comentario)\b",
        2.0,
    ),
    (r"\b(?:yo tambien|a mi tambien|como (?:bien )?dices|como usted dice)\b", 1.5),
    (r"^\s*(?:si|claro|cierto|efectivamente)(?:\s*[,.!;:]|\s*$)", 1.5),
    # Contrast opening a sentence: weak alone, but it adds up.
    (r"^\s*(?:pero|sin embargo|aun asi|no obstante)\b", -1.0),
]

# A negator just before a support cue turns it ("no tienes razón", "nunca es cierto").
NEGATOR = r"\b(?:no|nunca|jamas|tampoco|ni)\s+(?:\w+\s+)?$"
# Any negation, for "denies the target in its own words" (``relations``).
NEGATION = r"\b(?:no|nunca|jamas|ningun|ninguna|ninguno|nada|nadie|ni|tampoco|sin)\b"
