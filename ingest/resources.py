"""Where the files shipped beside the packages live: prompts and the bundled example."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = ROOT / "prompts"
EXAMPLES_DIR = ROOT / "data" / "examples"
SAMPLE_THREAD = EXAMPLES_DIR / "joining-the-iso-2013.txt"
