"""Usage: cargo doc --no-deps --lib && python3 scripts/doc-reach.py

Public items of the rendered docs: which have a doc example of their own, which are named in
some example (hidden lines included, read from the sources), and which are reachable from those
by the docs' own links in declarations and signatures (a field's type, an argument, a return
type). Prints the items that are none of these. Run after `cargo doc --no-deps --lib`."""
import html, re, sys, os
root = 'target/doc/dealzone'
allh = open(os.path.join(root, 'all.html')).read()
items = sorted(set(l for l in re.findall(r'href="([^"#]+\.html)"', allh)
             if re.search(r'(^|/)(struct|enum|fn|trait|type|constant|macro|static|union)\.[^/]+\.html$', l)))
# Example code from the sources, hidden lines included.
code = []
for dp, _, fs in os.walk('src'):
    for f in fs:
        if not f.endswith('.rs'): continue
        inblock = False
        for line in open(os.path.join(dp, f)):
            s = line.strip()
            if not (s.startswith('///') or s.startswith('//!')): inblock = False; continue
            body = s[3:].strip()
            if body.startswith('```'):
                inblock = not inblock; continue
            if inblock: code.append(body.lstrip('# '))
for f in ['README.md']:
    inblock = False
    for line in open(f):
        if line.startswith('```'): inblock = not inblock; continue
        if inblock: code.append(line)
words = set(re.findall(r'[A-Za-z_][A-Za-z0-9_]*', '\n'.join(code)))
def name(it): return re.sub(r'^.*\.(.+)\.html$', r'\1', it)
def page(it):
    try: return open(os.path.join(root, it)).read()
    except FileNotFoundError: return ''
def has_example(t): return 'rust-example-rendered' in t
def decl_links(it, t):
    parts = re.findall(r'<pre class="rust item-decl">(.*?)</pre>', t, re.S)
    parts += re.findall(r'<h4 class="code-header">(.*?)</h4>', t, re.S)
    out = set()
    base = os.path.dirname(it)
    for p in parts:
        for h in re.findall(r'href="([^"#]+\.html)', p):
            q = os.path.normpath(os.path.join(base, h))
            out.add(q)
    return out
reach = {it for it in items if has_example(page(it)) or name(it) in words}
seen = set(reach)
frontier = list(reach)
itemset = set(items)
while frontier:
    it = frontier.pop()
    for q in decl_links(it, page(it)):
        if q in itemset and q not in seen:
            seen.add(q); frontier.append(q)
own = sum(1 for it in items if has_example(page(it)))
named = len(reach) - own
left = [it for it in items if it not in seen]
print(f'{len(items)} public items: {own} with an example of their own, {named} more named in an example, '
      f'{len(seen)-len(reach)} more reachable by the docs\' links, {len(left)} none of these')
for l in left: print('  ', l)
