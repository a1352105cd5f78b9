#!/usr/bin/python3
"""Checks on a written report page (results-and-reports.md 7.1, 7.3).

usage: check-page.py REPORT_DIR

- every in-page link `href="#x"` has a matching `id="x"`, and every finding of
  findings.json links to an id of the page (7.1: findings carry a link to the chart anchor);
- every embedded SVG is well-formed and draws the same elements as the file in plots/ it
  was made from (the page embeds a compacted copy of gnuplot's SVG).
Exit 0 when all hold, 1 with one line per problem.
"""
import base64
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

DRAWN = ("path", "use", "text", "rect", "circle", "polygon", "image")


def links(page, findings):
    ids = set(html.unescape(i) for i in re.findall(r'\bid="([^"]+)"', page))
    bad = [h for h in (html.unescape(x) for x in re.findall(r'href="#([^"]*)"', page))
           if h not in ids]
    out = [f"dangling in-page link #{h}" for h in sorted(set(bad))]
    for f in findings.get("findings", []):
        if f.get("chart") not in ids:
            out.append(f"{f['id']} ({f.get('scenario')}/{f.get('setting')}) links to "
                       f"'{f.get('chart')}', which is not an id of index.html")
    return out


def drawn(svg):
    root = ET.fromstring(svg)
    counts = {}
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in DRAWN:
            counts[tag] = counts.get(tag, 0) + 1
    return counts


def images(rep, page):
    out = []
    figs = re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([^"]*)">'
                      r'<figcaption>.*?<a href="data/([^"]*)\.tsv">', page)
    for b64, name in figs:
        plot = os.path.join(rep, "plots", name + ".svg")
        try:
            page_svg = base64.b64decode(b64)
            mine = drawn(page_svg)
        except (ValueError, ET.ParseError) as e:
            out.append(f"embedded SVG of {name} is not well-formed: {e}")
            continue
        if not os.path.exists(plot):
            out.append(f"embedded SVG of {name} has no plots/{name}.svg")
            continue
        theirs = drawn(open(plot, "rb").read())
        if mine != theirs:
            out.append(f"embedded SVG of {name} draws {mine}, plots/{name}.svg draws {theirs}")
        if len(page_svg) > os.path.getsize(plot):
            out.append(f"embedded SVG of {name} is larger than plots/{name}.svg")
    return out, len(figs)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rep = sys.argv[1]
    page = open(os.path.join(rep, "index.html"), encoding="utf-8").read()
    findings = json.load(open(os.path.join(rep, "findings.json"), encoding="utf-8"))
    problems = links(page, findings)
    img_problems, nsvg = images(rep, page)
    problems += img_problems
    for p in problems:
        print("FAIL", p)
    if problems:
        return 1
    nlinks = len(re.findall(r'href="#', page))
    print(f"page ok: {nlinks} in-page links resolve, "
          f"{len(findings.get('findings', []))} findings link to anchors, {nsvg} embedded SVGs "
          f"match plots/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
