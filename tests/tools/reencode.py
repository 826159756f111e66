#!/usr/bin/env python3
"""reencode.py CORPUS MANIFEST OUTDIR [STEP]: every STEP-th document of the
manifest (default 13) written under OUTDIR in another charset, as the
portals' older exports are, with OUTDIR/manifest.jsonl listing them:

  zh-Hans -> GB18030, zh-Hant -> Big5-HKSCS (the HTML meta charset or XML
             declaration saying so, or, one document in two, still saying
             UTF-8: a mislabelled page);
  en, and Chinese a legacy charset cannot hold -> UTF-16 with a BOM (LE or
             BE), the declaration saying UTF-16.

The indexer must read every one as it reads the UTF-8 original
(tests/e2e/meta_accuracy.sh runs build/tools/metacheck over OUTDIR)."""
import json
import os
import re
import sys


def relabel(text, label):
    text = re.sub(r'(?i)(charset=["\']?)utf-?8', lambda m: m.group(1) + label, text)
    return re.sub(r'(?i)(encoding=["\'])utf-?8', lambda m: m.group(1) + label, text)


def main():
    corpus, manifest, out = sys.argv[1:4]
    step = int(sys.argv[4]) if len(sys.argv) > 4 else 13
    kept = []
    counts = {}
    with open(manifest, encoding='utf-8') as mf:
        lines = [l for l in mf if l.strip()]
    for i, line in enumerate(lines[::step]):
        m = json.loads(line)
        path = m['path']
        if path.endswith('.gz'):
            continue
        with open(os.path.join(corpus, path), 'rb') as f:
            raw = f.read()
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError:
            continue
        data = None
        if m.get('lang') in ('zh-Hans', 'zh-Hant'):
            enc, label = (('gb18030', 'GB18030') if m['lang'] == 'zh-Hans'
                          else ('big5hkscs', 'Big5-HKSCS'))
            t = text if i % 2 else relabel(text, label)
            try:
                data = t.encode(enc)
                kind = enc + ('-mislabelled' if i % 2 else '')
            except UnicodeEncodeError:
                data = None
        if data is None:
            bom, enc = ((b'\xff\xfe', 'utf-16-le') if i % 2
                        else (b'\xfe\xff', 'utf-16-be'))
            data = bom + relabel(text, 'UTF-16').encode(enc)
            kind = enc
        dest = os.path.join(out, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'wb') as f:
            f.write(data)
        counts[kind] = counts.get(kind, 0) + 1
        kept.append(line if line.endswith('\n') else line + '\n')
    with open(os.path.join(out, 'manifest.jsonl'), 'w', encoding='utf-8') as f:
        f.writelines(kept)
    print('reencode: %d documents: %s' % (len(kept), ', '.join(
        '%s %d' % kv for kv in sorted(counts.items()))))


if __name__ == '__main__':
    main()
