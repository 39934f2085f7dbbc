#!/usr/bin/env bash
# NER grid on a lent GPU machine (16 cores + one GPU), as run for issue 3 in the fourth
# session.  Everything it needs travels in .dev/ (ignored): the cp312 site-packages of
# spaCy (site312.tar.xz), the floret vectors (nb_floret/), the NorNE corpus
# (corpus/*.spacy) and the NoReC pretraining text (norec-pretrain.jsonl.gz, from
# training/scripts/pretrain_text.py --keep 2).
#
#   bash training/scripts/device_grid.sh start    # set up, launch, wait ~9 min
#   bash training/scripts/device_grid.sh wait N   # report progress after N seconds
#   bash training/scripts/device_grid.sh collect  # stop runs, best checkpoints -> $OUT
#
# Phase 1 (0 → PRETRAIN_S): `spacy pretrain` (characters objective) of the NER's own
# encoder on the GPU, widths 96 and 128; meanwhile NER trainings without pretraining on
# the CPU cores (one thread each).  Phase 2 (PRETRAIN_S → NER_S): NER trainings that
# start from the pretrained encoders, on the CPU and on the GPU.
set -u
W=/tmp/grid
D=.dev
PRETRAIN_S=${PRETRAIN_S:-510}
NER_S=${NER_S:-1410}
export PYTHONPATH=/tmp/site312:training/scripts OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONUNBUFFERED=1
COMMON="--paths.train $D/corpus/train.spacy --paths.dev $D/corpus/dev.spacy --paths.vectors $D/nb_floret --code training/scripts/ner_tok2vec_ref.py --training.max_steps 30000 --training.patience 6000"

train() {  # name gpu-id extra-args...
  local name=$1 gpu=$2; shift 2
  mkdir -p $W/runs/$name
  nohup python3 -m spacy train training/configs/ner.cfg --output $W/runs/$name --gpu-id $gpu $COMMON "$@" \
    > $W/logs/$name.log 2>&1 &
  echo $! > $W/runs/$name/pid
}

pretrain() {  # name width
  nohup python3 training/scripts/pretrain.py training/configs/ner.cfg $W/pt/$1 --gpu-id ${GPU:-0} \
    --override paths.raw_text=$W/raw.jsonl --override paths.vectors=$D/nb_floret \
    --override components.ner.model.tok2vec.encode.width=$2 --override pretraining.n_save_every=300 \
    > $W/logs/pt-$1.log 2>&1 &
  echo $! > $W/pt/$1.pid
}

latest_weights() { ls -t $W/pt/$1/*.bin 2>/dev/null | head -1; }

orchestrate() {
  pretrain w96 96; pretrain w128 128
  train c128 -1
  train c96 -1 --components.ner.model.tok2vec.encode.width 96
  train c96rows -1 --components.ner.model.tok2vec.encode.width 96 --components.ner.model.tok2vec.embed.rows "[20000,4000,8000,5000]"
  train c96drop -1 --components.ner.model.tok2vec.encode.width 96 --training.dropout 0.2
  train c128s1 -1 --system.seed 1
  sleep $((PRETRAIN_S - $(date +%s) + $(cat $W/START)))
  for p in w96 w128; do kill $(cat $W/pt/$p.pid) 2>/dev/null; done; sleep 5
  cp "$(latest_weights w96)" $W/pt/w96.bin; cp "$(latest_weights w128)" $W/pt/w128.bin
  train p96 -1 --components.ner.model.tok2vec.encode.width 96 --paths.init_tok2vec $W/pt/w96.bin
  train p128 -1 --paths.init_tok2vec $W/pt/w128.bin
  train p96drop -1 --components.ner.model.tok2vec.encode.width 96 --paths.init_tok2vec $W/pt/w96.bin --training.dropout 0.2
  train g96 ${GPU:-0} --components.ner.model.tok2vec.encode.width 96 --paths.init_tok2vec $W/pt/w96.bin
  train g128 ${GPU:-0} --paths.init_tok2vec $W/pt/w128.bin
  train g96nopt ${GPU:-0} --components.ner.model.tok2vec.encode.width 96
  sleep $((NER_S - $(date +%s) + $(cat $W/START)))
  for pid in $W/runs/*/pid; do kill $(cat $pid) 2>/dev/null; done
  echo done > $W/DONE
}

report() {
  echo "elapsed $(( $(date +%s) - $(cat $W/START) )) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
  nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader 2>/dev/null
  for f in $W/logs/pt-*.log; do echo "== $f"; grep -E "^ +[0-9]+ +[0-9]+" $f | tail -2; grep -iE "error|Traceback" $f | head -3; done
  for f in $W/logs/[cgp]*.log; do
    echo "== $f $(grep -E "^ +[0-9]+ +[0-9]+ " $f | awk '{ if ($4+0 > best) best=$4+0 } END { print "best", best }') last: $(grep -E "^ +[0-9]+ +[0-9]+ " $f | tail -1)"
    grep -iE "error|Traceback|pretrained" $f | head -3
  done
}

case "${1:-}" in
  start)
    mkdir -p $W/logs $W/runs $W/pt
    date +%s > $W/START
    tar xJf $D/site312.tar.xz -C /tmp
    gunzip -c $D/norec-pretrain.jsonl.gz > $W/raw.jsonl
    export GPU=$(python3 -c "import thinc.api as t; print(0 if t.prefer_gpu() else -1)" 2>/dev/null || echo -1)
    echo "GPU id for spaCy: $GPU"
    nproc; nvidia-smi -L
    setsid nohup bash "$0" orchestrate > $W/logs/orchestrate.log 2>&1 < /dev/null &
    sleep "${2:-540}"; report ;;
  orchestrate) orchestrate ;;
  wait) sleep "${2:-540}"; report ;;
  collect)
    while [ ! -f $W/DONE ] && [ $(( $(date +%s) - $(cat $W/START) )) -lt $((NER_S + 30)) ]; do sleep 5; done
    for pid in $W/runs/*/pid; do kill $(cat $pid) 2>/dev/null; done; sleep 3
    report | tee $OUT/report.txt
    tar czf $OUT/logs.tgz -C $W logs
    python3 - <<'PY'
import json, os, pathlib, tarfile
W = pathlib.Path("/tmp/grid"); OUT = pathlib.Path(os.environ["OUT"])
scores = {}
for run in (W / "runs").iterdir():
    meta = run / "model-best" / "meta.json"
    if meta.exists():
        scores[run.name] = json.loads(meta.read_text())["performance"]["ents_f"]
ranked = sorted(scores, key=scores.get, reverse=True)
print(json.dumps({name: round(scores[name] * 100, 2) for name in ranked}, indent=1))
(OUT / "scores.json").write_text(json.dumps(scores, indent=1))
for name in ranked[:3]:
    with tarfile.open(OUT / f"ner_{name}.tgz", "w:gz") as tar:
        for part in ("ner", "config.cfg", "meta.json"):
            tar.add(W / "runs" / name / "model-best" / part, arcname=f"{name}/{part}")
for width in ("w96", "w128"):
    if (W / "pt" / f"{width}.bin").exists():
        (OUT / f"pt_{width}.bin").write_bytes((W / "pt" / f"{width}.bin").read_bytes())
PY
    ls -la $OUT ;;
esac
