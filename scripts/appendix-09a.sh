#!/bin/sh
# Makes every figure of Notebooks/09a-runs-and-costs.md from one set of runs: the release
# style-transfer on its defaults (the sample astronaut repainted with samples/mosaic.png at 512
# pixels) and its variants, each with --log, then the charts, the pictures, and the table of the
# runs' losses that the appendix quotes (written between its runs-table markers by
# scripts/appendix-09a-table.py). The PyTorch comparison runs too when torch can be imported
# (in a scratch environment: python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch numpy,
# then PYTHON=/tmp/torchenv/bin/python).
#
#   sh scripts/appendix-09a.sh
set -e
swift build -c release
bin=.build/release
work=output/appendix-09a
images=Notebooks/images
mkdir -p "$work" "$images"
$bin/fetch-samples --photos-only >/dev/null
run() { name=$1; shift; $bin/style-transfer "$@" --output "$work/$name.png" --log "$work/$name.csv" > "$work/$name.txt"; }

# The runs, one after the other (each name is the table's row).
run noise-200-100 --init noise --iterations 200          # from white noise: 200 at 256 px, 100 at 512
run photo-100-50 --iterations 100,50                      # from the photo: 100 at 256 px, 50 at 512
run photo-40-60                                           # the default: from the photo, 40 at 256 px, 60 at 512
run photo-50-50 --iterations 50,50
run photo-one-scale-70 --scales 1 --iterations 70         # from the photo at 512 only
run photo-40-60-history-100 --lbfgs-history 100           # the default with neural-style's 100 pairs
run noise-one-scale-100 --init noise --scales 1 --iterations 100

# The charts and the pictures.
$bin/loss-chart --output "$images/09-default-runs.svg" --title "FROM WHITE NOISE OR FROM THE PHOTO (512 PIXELS)" \
    "$work/noise-200-100.csv=white noise, 200 + 100 iterations" "$work/photo-100-50.csv=the photo, 100 + 50 iterations"
$bin/contact-sheet --output "$images/09-default-runs.png" --height 320 --title "from white noise or from the photo" \
    "$work/noise-200-100.png=from white noise, 200 + 100" "$work/photo-100-50.png=from the photo, 100 + 50" "samples/mosaic.png=the style"
$bin/loss-chart --output "$images/09-default-schedule.svg" --title "FROM THE PHOTO: 100 + 50 OR 40 + 60 ITERATIONS (512 PIXELS)" \
    "$work/photo-100-50.csv=100 at 256 px + 50 at 512 px" "$work/photo-40-60.csv=40 at 256 px + 60 at 512 px"
final() { tail -n 1 "$1" | cut -d, -f2 | awk '{ printf "%.3e", $1 }'; }
$bin/contact-sheet --output "$images/09-default-schedule.png" --height 320 --title "From the photo: 100 + 50 or 40 + 60 iterations" \
    "$work/photo-100-50.png=100 + 50: loss $(final "$work/photo-100-50.csv")" \
    "$work/photo-40-60.png=40 + 60 (the default): loss $(final "$work/photo-40-60.csv")"

# Against PyTorch's L-BFGS (scripts/pytorch-lbfgs.py), if torch is there.
python=${PYTHON:-python3}
if $python -c "import torch" 2>/dev/null; then
    $python scripts/pytorch-lbfgs.py --iterations 50 > "$work/pytorch-lbfgs.txt"
else
    echo "appendix-09a.sh: no torch for $python; the PyTorch comparison keeps its last figures" >&2
fi

python3 scripts/appendix-09a-table.py "$work" Notebooks/09a-runs-and-costs.md
