#!/usr/bin/env python3
"""Turns a `tmux capture-pane -e -p` dump (text with SGR colour escapes) into an HTML page that
looks like the terminal, for a screenshot: ansi2html.py IN.ansi OUT.html TITLE."""
import html
import re
import sys

BASE16 = ["#1d1f21", "#cc6666", "#b5bd68", "#f0c674", "#81a2be", "#b294bb", "#8abeb7", "#c5c8c6",
          "#666666", "#d54e53", "#b9ca4a", "#e7c547", "#7aa6da", "#c397d8", "#70c0b1", "#eaeaea"]
FG, BG = "#c5c8c6", "#1d1f21"


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


def main():
    src, out, title = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""
    text = open(src, encoding="utf-8", errors="replace").read()
    st = {"fg": None, "bg": None, "b": False, "i": False, "u": False, "r": False}
    parts = []
    bg_count = {}

    def span(s):
        if not s:
            return
        fg, bg = st["fg"] or FG, st["bg"]
        if st["r"]:
            fg, bg = (st["bg"] or BG), (st["fg"] or FG)
        bg_count[bg] = bg_count.get(bg, 0) + len(s)
        css = [f"color:{fg}"]
        if bg:
            css.append(f"background:{bg}")
        if st["b"]:
            css.append("font-weight:bold")
        if st["i"]:
            css.append("font-style:italic")
        if st["u"]:
            css.append("text-decoration:underline")
        parts.append(f'<span style="{";".join(css)}">{html.escape(s)}</span>')

    pos = 0
    for m in re.finditer(r"\x1b\[([0-9;:]*)m", text):
        span(text[pos:m.start()])
        pos = m.end()
        codes = [int(c) if c.isdigit() else 0 for c in re.split(r"[;:]", m.group(1) or "0")]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                st.update(fg=None, bg=None, b=False, i=False, u=False, r=False)
            elif c == 1:
                st["b"] = True
            elif c == 3:
                st["i"] = True
            elif c in (4, 21):
                st["u"] = True
            elif c == 7:
                st["r"] = True
            elif c == 22:
                st["b"] = False
            elif c == 23:
                st["i"] = False
            elif c == 24:
                st["u"] = False
            elif c == 27:
                st["r"] = False
            elif 30 <= c <= 37:
                st["fg"] = BASE16[c - 30]
            elif 90 <= c <= 97:
                st["fg"] = BASE16[c - 90 + 8]
            elif 40 <= c <= 47:
                st["bg"] = BASE16[c - 40]
            elif 100 <= c <= 107:
                st["bg"] = BASE16[c - 100 + 8]
            elif c == 39:
                st["fg"] = None
            elif c == 49:
                st["bg"] = None
            elif c in (38, 48, 58) and i + 1 < len(codes):
                key = {38: "fg", 48: "bg", 58: None}[c]
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    if key:
                        st[key] = xterm256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    if key:
                        st[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                    i += 4
            i += 1
    span(text[pos:])
    body = "".join(parts)
    # The page takes the colour that most of the screen has, so no seams show between lines.
    page_bg = max(bg_count, key=bg_count.get) if bg_count else None
    page_bg = page_bg or BG
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{margin:0;background:{page_bg}}}pre{{margin:0;padding:10px;font:15px/1.25 'DejaVu Sans Mono',monospace;color:{FG};background:{page_bg};display:inline-block}}</style>
</head><body><pre id="term">{body}</pre></body></html>"""
    open(out, "w", encoding="utf-8").write(page)


main()
