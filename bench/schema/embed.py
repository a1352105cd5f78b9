#!/usr/bin/env python3
"""Embed a file as a NUL-terminated C char array: embed.py IN OUT.c SYMBOL (build time)."""
import sys

src, out, sym = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, "rb").read() + b"\0"
with open(out, "w", encoding="ascii") as f:
    f.write("/* Generated from %s by bench/schema/embed.py; do not edit. */\n" % src.split("/")[-1])
    f.write("extern const char %s[];\nconst char %s[] = {\n" % (sym, sym))
    for i in range(0, len(data), 16):
        f.write("    " + ", ".join(str(b) for b in data[i:i + 16]) + ",\n")
    f.write("};\n")
