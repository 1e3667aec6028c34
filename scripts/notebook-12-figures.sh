#!/bin/sh
# Makes the pictures of Notebooks/12-transformation-network.md with the release builds of
# transformation-network-demo, style-train, style-apply, style-transfer, style-video, loss-chart
# and contact-sheet. The painting and the held-out photo are public-domain works kept outside the
# repository; pass the folder that holds starry_night.jpg and the path of a photo none of the
# training photos is (tubingen.jpg in the project's measurements). The other photo is the fetched
# chelsea sample, which style-train never trains on.
#
#   sh scripts/notebook-12-figures.sh PAINTINGS_FOLDER HELD_OUT_PHOTO
#
# It trains a model for 25 minutes first (style-train's default), unless
# output/notebook-12/starry.safetensors exists.
set -e
paintings=${1:?usage: sh scripts/notebook-12-figures.sh PAINTINGS_FOLDER HELD_OUT_PHOTO}
held_out=${2:?usage: sh scripts/notebook-12-figures.sh PAINTINGS_FOLDER HELD_OUT_PHOTO}
swift build -c release
bin=.build/release
work=output/notebook-12
images=Notebooks/images
mkdir -p "$work" "$images"
$bin/fetch-samples --photos-only >/dev/null
painting="$paintings/starry_night.jpg"

# 1. The demo: a small network learning, its loss, one pass against the optimisation.
$bin/transformation-network-demo --output "$work/demo" | tee "$work/demo.txt"
cp "$work/demo/learning.png" "$images/12-learning.png"
cp "$work/demo/training-loss.svg" "$images/12-training-loss.svg"
cp "$work/demo/one-pass.png" "$images/12-demo-one-pass.png"

# 2. The Starry Night, style-train's defaults, and its loss per step.
if [ ! -f "$work/starry.safetensors" ]; then
    /usr/bin/time -v $bin/style-train --style "$painting" --output "$work/starry.safetensors" --log "$work/starry.csv" \
        2>&1 | tee "$work/train.txt"
fi
$bin/loss-chart --x iteration --title "STYLE-TRAIN, THE STARRY NIGHT: THE LOSS OF EACH STEP'S CROP" \
    --output "$images/12-starry-training.svg" "$work/starry.csv=style-train (defaults)"

# 3. Photos the network never saw: one pass against style-transfer's default run, with both times
#    (each program's own: the painting, and the optimisation, after loading).
seconds() { sed -n 's/.* in \([0-9.]* s\).*/\1/p; s/.* in \([0-9]* min [0-9]* s\).*/\1/p' "$1" | tail -n 1; }
for photo in "$held_out" .cache/chelsea.png; do
    name=$(basename "$photo" | sed 's/\.[a-z]*$//')
    $bin/style-apply --model "$work/starry.safetensors" --content "$photo" --output "$work/$name-one-pass.png" | tee "$work/$name-one-pass.txt"
    $bin/style-transfer --content "$photo" --style "$painting" --output "$work/$name-optimised.png" | tee "$work/$name-optimised.txt"
done
a=$(basename "$held_out" | sed 's/\.[a-z]*$//')
$bin/contact-sheet --output "$images/12-one-pass-against-optimised.png" --height 256 --columns 3 \
    --title "Photos the network never saw, 512 pixels: style-transfer's default run and one pass" \
    "$held_out=the photo" "$work/$a-optimised.png=style-transfer, $(seconds "$work/$a-optimised.txt")" \
    "$work/$a-one-pass.png=one pass, $(seconds "$work/$a-one-pass.txt")" \
    ".cache/chelsea.png=the photo" "$work/chelsea-optimised.png=style-transfer, $(seconds "$work/chelsea-optimised.txt")" \
    "$work/chelsea-one-pass.png=one pass, $(seconds "$work/chelsea-one-pass.txt")"

# 4. A clip: style-video (chapter 11) against one pass per frame. The frames are windows moving
#    4 pixels right per frame over the held-out photo at 512 pixels (scripts/pan-frames.py).
python3 scripts/pan-frames.py "$held_out" "$work/frames" --frames 8 --width 384 --height 288 --step 4
$bin/style-video --frames "$work/frames" --style "$painting" --size 384 --output "$work/video-optimised" \
    --animation "$work/video-optimised.png" | tee "$work/video-optimised.txt"
$bin/style-apply --model "$work/starry.safetensors" --frames "$work/frames" --size 384 --output "$work/video-one-pass" \
    --animation "$work/video-one-pass.png" | tee "$work/video-one-pass.txt"
$bin/contact-sheet --output "$images/12-video.png" --height 192 --columns 4 \
    --title "A clip panning over the photo: style-video (top) and one pass per frame (bottom), frames 0, 1, 2 and 7" \
    "$work/video-optimised/frame-0.png=style-video, frame 0" "$work/video-optimised/frame-1.png=frame 1" \
    "$work/video-optimised/frame-2.png=frame 2" "$work/video-optimised/frame-7.png=frame 7" \
    "$work/video-one-pass/frame-0.png=one pass, frame 0" "$work/video-one-pass/frame-1.png=frame 1" \
    "$work/video-one-pass/frame-2.png=frame 2" "$work/video-one-pass/frame-7.png=frame 7"
python3 scripts/clip-flicker.py "$work/frames" "$work/video-optimised" "$work/video-one-pass" | tee "$work/flicker.txt"
