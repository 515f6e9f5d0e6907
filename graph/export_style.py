"""The colours and names every view of the graph shares: pictures, the HTML page, the dashboard.

Okabe-Ito colours for the relations: distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

EDGE_COLOURS = {"rebuts": "#D55E00", "supports": "#0072B2"}
PARTICIPLES = {"rebuts": "rebutted", "supports": "supported"}
LABEL_FILLS = {"IN": "#D5EFCF", "OUT": "#F7D0D0", "UNDEC": "#FBEDB8"}
LABEL_NAMES = {
    "IN": "IN: stands (grounded semantics)",
    "OUT": "OUT: defeated",
    "UNDEC": "UNDEC: undecided",
}
NEUTRAL_FILL = "#F2F2F2"
BORDER = "#555555"
FOCUS_BORDER = "#111111"
LOW_CONFIDENCE = 0.5  # relations below this are dashed
