#!/usr/bin/env python3
"""relocate.py CORPUS MANIFEST OUTDIR [STEP]: every STEP-th document of the
manifest (default 13) copied under OUTDIR as moved/<n>/<k><ext>, away from
the folder names its source's profile knows it by, with
OUTDIR/manifest.jsonl listing the new paths.

An operator's tree is not laid out as the shared corpus is: the indexer
must still find every field its file's content holds (the profiles know
sources by their XML root or record keys too). tests/e2e/meta_accuracy.sh
runs build/tools/metacheck over OUTDIR and requires the fields a file
carries itself (title, unit, docno, year, lang); category and date come
from folder and file names for some sources and are only reported."""
import json
import os
import shutil
import sys


def main():
    corpus, manifest, out = sys.argv[1:4]
    step = int(sys.argv[4]) if len(sys.argv) > 4 else 13
    kept = []
    with open(manifest, encoding='utf-8') as mf:
        for k, line in enumerate(mf):
            if k % step:
                continue
            d = json.loads(line)
            name = os.path.basename(d['path'])
            gz = '.gz' if name.endswith('.gz') else ''
            ext = os.path.splitext(name[:len(name) - len(gz)])[1]
            new = 'moved/%d/%05d%s%s' % (len(kept) % 7, len(kept), ext, gz)
            os.makedirs(os.path.join(out, os.path.dirname(new)), exist_ok=True)
            shutil.copyfile(os.path.join(corpus, d['path']), os.path.join(out, new))
            d['path'] = new
            kept.append(d)
    with open(os.path.join(out, 'manifest.jsonl'), 'w', encoding='utf-8') as f:
        for d in kept:
            f.write(json.dumps(d, ensure_ascii=False) + '\n')
    print('relocate: %d documents under %s' % (len(kept), out))


if __name__ == '__main__':
    main()
