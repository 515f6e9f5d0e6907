"""Memory of reading a big WordPress export (``wordpress-wxr``): a synthetic site of 200 posts
and 20,000 comments (about 10 MB), parsed in a fresh process; prints JSON.

``peak_rss_mib`` is the process's peak resident memory after parsing into threads;
``baseline_rss_mib`` the same process after importing argmap and reading the file's text, before
parsing; ``parse_cost_mib`` the difference (it holds the 20,000 posts made). ``read_only_cost_mib``
is the XML reading alone (``wxr_reader``, an item at a time); ``whole_tree_cost_mib`` the same file
built into one ElementTree (what a non-streaming reader would hold first), for scale. Run: ``python bench/wxr_memory.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

POSTS, PER_POST = 200, 100

_CHILD = """
import resource, sys
from pathlib import Path
from argmap.ingest.sources import wordpress_wxr
text = Path(sys.argv[1]).read_text()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[2] == "tree":
    from xml.etree import ElementTree
    root = ElementTree.fromstring(text)
    n = len(root.findall(".//{http://wordpress.org/export/1.2/}comment"))
elif sys.argv[2] == "read":
    from argmap.ingest.sources.wxr_reader import WxrChannel, read_wxr
    n = sum(len(i.comments) for i in read_wxr(text, "bench.xml", WxrChannel()))
else:
    n = sum(len(t.comments) for t in wordpress_wxr.parse(text, "bench.xml"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base, peak, n)
"""


def synthetic_export(path: Path) -> None:
    """A WXR 1.2 file of ``POSTS`` posts with ``PER_POST`` comments each, replies nested."""
    with path.open("w") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><title>Bench</title>'
            "<link>https://bench.example</link><wp:wxr_version>1.2</wp:wxr_version>\n"
        )
        cid = 0
        for p in range(POSTS):
            out.write(
                f"<item><title>Post {p}</title><link>https://bench.example/?p={p}</link>"
                f"<dc:creator>admin</dc:creator><content:encoded><![CDATA[<p>Post {p} argues "
                "that the bridge should be rebuilt.</p>]]></content:encoded>"
                f"<wp:post_id>{p}</wp:post_id><wp:post_date_gmt>2024-01-01 09:00:00"
                "</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post"
                "</wp:post_type>"
            )
            first = cid + 1
            for k in range(PER_POST):
                cid += 1
                parent = 0 if k % 4 == 0 else cid - 1
                out.write(
                    f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>"
                    f"<![CDATA[Person {k % 37}]]></wp:comment_author><wp:comment_date_gmt>"
                    f"2024-01-02 {k % 24:02d}:{k % 60:02d}:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[Comment {cid} on post {p}: I disagree, "
                    "because the old bridge carried twice the traffic and the repair would "
                    "cost less than half of a new one.\n\nSecond paragraph.]]>"
                    "</wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}"
                    "</wp:comment_parent></wp:comment>\n"
                )
            assert cid >= first
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def measure(path: Path, mode: str) -> tuple[float, float, int]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), mode], capture_output=True, text=True, check=True
    )
    base, peak, n = (int(v) for v in done.stdout.split())
    return base / 1024, peak / 1024, n  # ru_maxrss is KiB on Linux


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "site.xml"
        synthetic_export(path)
        size = path.stat().st_size
        base, peak, comments = measure(path, "stream")
        _, read_peak, _ = measure(path, "read")
        _, tree_peak, tree_comments = measure(path, "tree")
    print(
        json.dumps(
            {
                "posts": POSTS,
                "comments": comments,
                "file_mib": round(size / 2**20, 1),
                "baseline_rss_mib": round(base, 1),
                "peak_rss_mib": round(peak, 1),
                "parse_cost_mib": round(peak - base, 1),
                "read_only_cost_mib": round(read_peak - base, 1),
                "whole_tree_rss_mib": round(tree_peak, 1),
                "whole_tree_cost_mib": round(tree_peak - base, 1),
                "tree_comments": tree_comments,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
