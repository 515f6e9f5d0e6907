"""German stance cues, in the form and priority order of the English ones (``stance``).

Patterns run on lower-cased text with quotes straightened and accents folded (``stance.fold``:
"für" is "fur", "Blödsinn" is "blodsinn"; "ß" stays). German puts "nicht" late ("ich stimme dem
nicht zu", "das stimmt so nicht"), so negated agreement is spelled out as its own cue, ahead of the
agreement it negates; a support cue with a negator just before it ("nicht richtig") still turns.
Hand-written from how German replies agree and object, not measured on labelled German threads.
"""

from __future__ import annotations

# What may stand between "du hast" and "recht" ("da hast du völlig recht"); an article may not
# ("Sie haben das Recht auf ..." claims a right).
_ADVERB = (
    r"(?:(?:da|damit|hier|vollig|vollkommen|absolut|ganz|total|wohl|schon|ja|naturlich|leider|"
    r"durchaus|sicher|zwar) )?"
)

# (pattern, weight), highest priority first; < 0 rebuts, > 0 supports, 0 takes no side.
CUES: list[tuple[str, float]] = [
    # Set phrases that look like cues but take no side.
    (
        r"\b(?:korrigier(?:e|t|en sie)? mich,? wenn ich (?:mich irre|falsch liege)|"
        r"wenn ich mich nicht irre|falls ich mich nicht irre|versteh(?:e|t|en sie)? mich nicht falsch|"
        r"ohne zweifel|zweifellos|nicht nur)\b",
        0.0,
    ),
    (r"\b(?:konnte|kann) (?:dir |ihnen |euch |dem |da )?nicht mehr zustimmen\b", 3.0),
    # Conceding a point on the way to an objection: "du hast recht, was X angeht, aber ...".
    (
        r"\b(?:du hast|sie haben|ihr habt|hast du|haben sie|habt ihr) "
        rf"{_ADVERB}recht\b(?! auf\b| zu\b)[^.;!?]*?\baber\b",
        -2.0,
    ),
    (
        r"\b(?:das|es|dies) (?:stimmt|ist (?:\w+ )?(?:richtig|wahr|korrekt)) zwar\b[^.;!?]*?\baber\b",
        -2.0,
    ),
    # Agreement in a subordinate clause is faint.
    (r"\b(?:obwohl|obgleich|wenngleich|auch wenn) ich (?:\w+ ){0,3}zustimme\b", 0.5),
    # Disagreement spelled out, and negated agreement (before the plain agreement cues).
    (
        r"\b(?:muss|mochte|will|darf) ich (?:\w+ )?widersprechen\b|\bich (?:\w+ )?widerspreche\b|"
        r"\bich bin (?:da |hier )?(?:ganz |vollig |entschieden )?anderer (?:meinung|ansicht)\b",
        -3.0,
    ),
    (
        r"\bstimme (?:\w+ ){0,3}(?:nicht|keineswegs|uberhaupt nicht|gar nicht) (?:\w+ ){0,2}zu\b|"
        r"\b(?:kann|konnte|will) (?:\w+ ){0,3}(?:nicht|kaum|keineswegs) (?:\w+ )?zustimmen\b|"
        r"\b(?:nicht|nie|keineswegs|gar nicht|uberhaupt nicht) einverstanden\b|"
        r"\bnicht (?:ganz |wirklich )?(?:deiner|ihrer|eurer|dieser|der gleichen|derselben) "
        r"(?:meinung|ansicht)\b|"
        r"\bsehe (?:ich )?(?:das |es )?(?:\w+ )?(?:nicht so|anders)\b",
        -3.0,
    ),
    # Concessions: the writer grants the point answered ("ich lag falsch" is not a rebuttal).
    (
        r"\b(?:ich (?:lag|habe mich|hatte mich) (?:\w+ )?(?:falsch|geirrt|getauscht)|"
        r"ich gebe (?:dir|ihnen|euch) recht|ich gebe zu|ich muss zugeben|punkt fur dich|"
        r"(?:du hast|sie haben|ihr habt) mich uberzeugt)\b",
        2.5,
    ),
    (r"\b(?:ja|jein|stimmt|sicher|klar|okay|ok|zugegeben|mag sein),? aber\b", -2.0),
    (
        r"\b(?:das|es|dies|was (?:du sagst|sie sagen)) (?:ist|war|sind) (?:\w+ )?"
        r"(?:schlicht |einfach |vollig |total |ganz |absolut |leider )?"
        r"(?:falsch|unwahr|gelogen|unzutreffend|nicht (?:richtig|wahr|korrekt|zutreffend))\b|"
        r"\b(?:du irrst|sie irren|ihr irrt) (?:dich |sich |euch )?\b",
        -3.0,
    ),
    (
        r"\b(?:das|es|dies) stimmt (?:so |doch |einfach |leider |aber |ja )?"
        r"(?:nicht|gar nicht|uberhaupt nicht|keineswegs)\b|\bstimmt (?:so |doch )?nicht\b",
        -3.0,
    ),
    (r"\b(?:ganz )?im gegenteil\b|\bdas gegenteil ist (?:der fall|richtig|wahr)\b", -3.0),
    (
        r"^(?:unsinn|quatsch|blodsinn|bloedsinn|schwachsinn|lacherlich|absurd)\b|"
        r"\b(?:das ist|so ein|volliger|totaler|kompletter|reiner|ausgemachter) "
        r"(?:unsinn|quatsch|blodsinn|bloedsinn|schwachsinn|lacherlich|absurd)\b",
        -2.5,
    ),
    (
        r"\bich habe (?:\w+ )?(?:nie|nicht|niemals) (?:\w+ )?(?:gesagt|behauptet|geschrieben|"
        r"gemeint)\b",
        -2.5,
    ),
    (
        r"\b(?:du (?:verwechselst|ubersiehst|ignorierst|vergisst|verkennst)|sie (?:verwechseln|"
        r"ubersehen|ignorieren|vergessen|verkennen)|(?:du hast|sie haben) (?:\w+ )?"
        r"(?:nicht verstanden|falsch verstanden|missverstanden))\b",
        -2.0,
    ),
    (r"\b(?:bei allem respekt|mit verlaub|(?:tut mir leid|sorry|entschuldigung),? aber)\b", -1.5),
    (
        r"\bich (?:glaube|denke|finde|meine) (?:das |es |dies )?(?:\w+ )?nicht\b|"
        r"\bich wei(?:ß|ss) (?:\w+ )?nicht,? ob\b|\b(?:kann|konnte) ich (?:so |leider )?nicht bestatigen\b|"
        r"\bich bin (?:mir )?(?:da )?(?:nicht (?:so )?sicher|skeptisch|nicht uberzeugt)\b|"
        r"\bich (?:bezweifle|zweifle)\b",
        -2.0,
    ),
    (
        r"\b(?:das|es|dies) (?:heisst|heißt|bedeutet|beweist) (?:\w+ )?(?:noch )?(?:lange )?"
        r"(?:nicht|nichts)\b",
        -2.0,
    ),
    (r"\bnicht (?:unbedingt|zwingend|ganz)\b", -2.0),
    (
        r"^(?:nicht wirklich|eher nicht|keineswegs|auf keinen fall|ganz und gar nicht)(?:\s*[,.!;:]|\s*$)|"
        r"\bso einfach ist (?:es|das) (?:\w+ )?nicht\b|\b(?:das|es) (?:ergibt|macht) keinen sinn\b",
        -2.0,
    ),
    (r"\b(?:irrefuhrend|verzerrt|an der sache vorbei|geht am thema vorbei)\b", -2.0),
    (r"^(?:nein|noe|nee|falsch)(?:\s*[,.!;:]|\s*$)", -3.0),
    (r"\bdas (?:problem|dumme) (?:ist|dabei|daran|hier)\b", -1.5),
    (r"^(?:das|dies) ist (?:doch )?(?:nicht|kein)\b", -1.5),
    (r"^(?:eigentlich|in wirklichkeit)\b", -1.5),
    # Agreement and endorsement.
    (
        r"\bstimme (?:\w+ ){0,3}zu\b|\b(?:nur|voll|voll und ganz|absolut|uneingeschrankt) zustimmen\b|"
        r"\b(?:volle|vollste) zustimmung\b",
        3.0,
    ),
    (
        r"\b(?:gut gesagt|treffend gesagt|sehr richtig|genau so ist es|so ist es)\b|\+1\b|"
        r"\b(?:bin ich|ich bin) (?:ganz |voll )?bei (?:dir|ihnen|euch)\b|\b(?:ganz|genau) meine "
        r"(?:meinung|rede)\b|\bunterschreibe? ich\b|"
        r"^(?:genau|exakt|absolut|eben|richtig|stimmt|jawohl|zustimmung)(?:\s*[.,!;:]|\s*$)",
        3.0,
    ),
    (
        r"\b(?:du hast|sie haben|ihr habt|hast du|haben sie|habt ihr) "
        rf"{_ADVERB}recht\b(?! auf\b| zu\b)",
        3.0,
    ),
    (r"\bsehe (?:ich )?(?:das |es )?(?:(?:genau|ganz|auch) )*(?:so|genauso|ebenso)\b", 3.0),
    (r"\b(?:bin|sind) (?:\w+ )?einverstanden\b|^einverstanden\b", 2.5),
    (
        r"\b(?:guter|wichtiger|berechtigter|starker|interessanter) (?:punkt|einwand|hinweis)\b|"
        r"\b(?:gutes|starkes|wichtiges) argument\b",
        2.5,
    ),
    (
        r"\b(?:das|es|dies) (?:ist|war) (?:vollig |absolut |ganz |sehr )?(?:richtig|wahr|korrekt)\b|"
        r"\b(?:das|es) stimmt\b",
        2.5,
    ),
    (
        r"\b(?:toller|guter|hervorragender|wichtiger|starker) (?:artikel|beitrag|text|kommentar)\b|"
        r"\bdanke fur (?:diesen|den|ihren|deinen) (?:artikel|beitrag|text|kommentar)\b",
        2.0,
    ),
    (r"\b(?:geht mir (?:genauso|auch so)|ich auch|wie du sagst|wie sie sagen)\b", 1.5),
    (r"^(?:ja|jawohl|stimmt|richtig|genau|allerdings)\b", 1.5),
    # Contrast opening a sentence: weak alone, but it adds up.
    (r"^(?:aber|jedoch|trotzdem|dennoch)\b", -1.0),
]

# A negator just before a support cue turns it ("nicht richtig", "keineswegs einverstanden").
NEGATOR = r"\b(?:nicht|nie|niemals|kein\w*|kaum|keineswegs)\s+(?:\w+\s+)?$"
# Any negation, for "denies the target in its own words" (``relations``).
NEGATION = (
    r"\b(?:nicht|nie|niemals|kein|keine|keinen|keinem|keiner|keines|nichts|niemand|weder|ohne)\b"
)
