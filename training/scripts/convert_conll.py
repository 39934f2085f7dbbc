"""Convert NorNE Bokmål CoNLL (NDT tags and dependencies, NorNE names) to spaCy DocBin.

Usage: python training/scripts/convert_conll.py NORNE_DIR OUT_DIR [--n-sents 10]

Per token: tag_ = NDT part of speech, morph = NDT morphology (mapped to Feat=Val,
see ndt_morph.py), lemma (punctuation "$," -> ","), head/dep (NDT relations),
entity IOB from column 10.  The NDT heading markers `|` (lemma `$|`) are not
text and are dropped; they are always leaves, so no head has to be re-attached
(the code re-attaches to the marker's own head anyway, to be safe).  There is
no spacing information: no space before , . : ; ! ? ) ] } » % and none after
( [ { «.  Consecutive sentences of the same source document (sent_id prefix)
are grouped into Docs of about --n-sents sentences.
"""
import argparse
import sys
from pathlib import Path

from spacy.lang.nb import Norwegian
from spacy.tokens import Doc, DocBin

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ndt_morph import ndt_to_ud_feats  # noqa: E402

NO_SPACE_BEFORE = set(",.:;!?)]}»%")
NO_SPACE_AFTER = set("([{«")


def read_conll(path):
    sent_id, rows = None, []
    for line in open(path, encoding="utf8"):
        line = line.rstrip("\n")
        if not line:
            if rows:
                yield sent_id, rows
            sent_id, rows = None, []
        elif line.startswith("#"):
            if line.startswith("# sent_id"):
                sent_id = line.split("=", 1)[1].strip()
        else:
            rows.append(line.split("\t"))
    if rows:
        yield sent_id, rows


def clean_sentence(rows):
    """Drop `|` markers; return list of dicts with 0-based sentence-internal heads (-1 = root)."""
    keep = [r for r in rows if not (r[1] == "|" or r[2] == "$|")]
    old2new = {r[0]: i for i, r in enumerate(keep)}
    byid = {r[0]: r for r in rows}
    out = []
    for r in keep:
        h = r[6]
        while h != "0" and h not in old2new:  # head is a dropped marker: climb
            h = byid[h][6]
        lemma = r[2]
        if lemma.startswith("$") and len(lemma) > 1:
            lemma = lemma[1:]
        ent = r[9].split("=", 1)[1] if r[9].startswith("name=") else "O"
        out.append(
            dict(
                word=r[1], lemma=lemma, tag=r[3], morph=ndt_to_ud_feats(r[5]),
                head=-1 if h == "0" else old2new[h], dep=r[7], ent=ent,
            )
        )
    return out


def make_doc(vocab, sents):
    words, spaces, tags, lemmas, morphs, heads, deps, starts, ents = ([] for _ in range(9))
    for sent in sents:
        off = len(words)
        for i, t in enumerate(sent):
            words.append(t["word"])
            tags.append(t["tag"])
            lemmas.append(t["lemma"])
            morphs.append(t["morph"])
            heads.append(off + i if t["head"] < 0 else off + t["head"])
            deps.append(t["dep"])
            starts.append(i == 0)
            ents.append(t["ent"])
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        sp = nxt is not None
        if nxt is not None and (nxt in NO_SPACE_BEFORE or w in NO_SPACE_AFTER):
            sp = False
        spaces.append(sp)
    # fix IOB: an I- without a preceding same-type B/I becomes B-
    prev = "O"
    for i, e in enumerate(ents):
        if e.startswith("I-") and prev[2:] != e[2:]:
            ents[i] = "B-" + e[2:]
        prev = ents[i]
    return Doc(vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas, morphs=morphs,
               heads=heads, deps=deps, sent_starts=starts, ents=ents)


def convert(path, vocab, n_sents=10):
    docs, group, group_doc = [], [], None
    for sent_id, rows in read_conll(path):
        doc_key = (sent_id or "").split("_")[0]
        sent = clean_sentence(rows)
        if not sent:
            continue
        if group and (doc_key != group_doc or len(group) >= n_sents):
            docs.append(make_doc(vocab, group))
            group = []
        group.append(sent)
        group_doc = doc_key
    if group:
        docs.append(make_doc(vocab, group))
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("norne_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--n-sents", type=int, default=10)
    a = ap.parse_args()
    out = Path(a.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nlp = Norwegian()
    for split in ("train", "dev", "test"):
        docs = convert(Path(a.norne_dir) / f"ndt-nob-{split}.conll", nlp.vocab, a.n_sents)
        DocBin(docs=docs, store_user_data=False).to_disk(out / f"{split}.spacy")
        print(split, len(docs), "docs", sum(len(d) for d in docs), "tokens", file=sys.stderr)


if __name__ == "__main__":
    main()
