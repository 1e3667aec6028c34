#!/bin/sh
# Makes the pictures and measures of Notebooks/08b-style-as-distribution.md with the release
# builds: style-distribution-demo's figures; then a held-out photo repainted in a held-out
# painting at 512 pixels, 100 iterations, with each --style-loss, measured by PyTorch
# (scripts/pytorch-gatys-loss.py --distances, if torch imports: PYTHON=/tmp/torchenv/bin/python);
# and each term's evaluation timed by benchmark, one after the other.
#
#   sh scripts/notebook-08b-figures.sh PAINTING HELD_OUT_PHOTO
set -e
painting=${1:?usage: sh scripts/notebook-08b-figures.sh PAINTING HELD_OUT_PHOTO}
photo=${2:?usage: sh scripts/notebook-08b-figures.sh PAINTING HELD_OUT_PHOTO}
swift build -c release
bin=.build/release
work=output/notebook-08b
images=Notebooks/images
mkdir -p "$work" "$images"
$bin/fetch-samples --photos-only >/dev/null

# 1. The demo: textures and the photo with each term, and the histograms.
$bin/style-distribution-demo --output "$work/demo" | tee "$work/demo.txt"
cp "$work/demo/textures.png" "$images/08b-textures.png"
cp "$work/demo/repainted.png" "$images/08b-repainted.png"
cp "$work/demo/histograms-1.svg" "$images/08b-histograms.svg"

# 2. The held-out pair at 512 pixels, 100 iterations, each term.
for kind in gram sliced histogram; do
    /usr/bin/time -v $bin/style-transfer --content "$photo" --style "$painting" --style-loss $kind --iterations 100 \
        --output "$work/held-out-$kind.png" 2> "$work/held-out-$kind-time.txt" | tee "$work/held-out-$kind.txt"
done
$bin/contact-sheet --output "$images/08b-held-out.png" --height 256 --columns 4 \
    --title "A photo and a painting the terms were not tuned on, 512 pixels, 100 iterations" \
    "$photo=the photo" "$work/held-out-gram.png=Gram matrices" "$work/held-out-sliced.png=sliced Wasserstein" \
    "$work/held-out-histogram.png=histogram + Gram"
python=${PYTHON:-python3}
if $python -c "import torch" 2>/dev/null; then
    $python scripts/pytorch-gatys-loss.py --distances --photo "$photo" --painting "$painting" \
        "$work/held-out-gram.png" "$work/held-out-sliced.png" "$work/held-out-histogram.png" | tee "$work/measure.txt"
else
    echo "notebook-08b-figures.sh: no torch for $python; the independent measure is left out" >&2
fi

# 3. One 512-pixel evaluation with each term (benchmark's workload), one after the other.
for kind in gram sliced histogram; do
    $bin/benchmark --sizes 512 --runs 7 --style-loss $kind --output "$work/benchmark-$kind" | head -n 5 | tee "$work/benchmark-$kind.txt"
done
