#!/bin/sh
# Makes the pictures of Notebooks/06b-optimisers.md ("Inside the box") with the release build of
# style-transfer, contact-sheet and loss-chart: the default run descended in the box and freely
# (clipped when written), the two pictures side by side with the loss of each file as written
# (measured again from the file, --init FILE --iterations 0 --scales 1), and the two loss logs.
#
#   sh scripts/notebook-06b-figures.sh
set -e
swift build -c release --product style-transfer
swift build -c release --product contact-sheet
swift build -c release --product loss-chart
run=.build/release/style-transfer
work=output/notebook-06b
images=Notebooks/images
mkdir -p "$work" "$images"

$run --log "$work/box.csv" --output "$work/box.png"
$run --free-descent --log "$work/free.csv" --output "$work/free.png"
# The loss of a file, measured from the file alone.
written() { $run --init "$1" --iterations 0 --scales 1 --output "$work/measured.png" | tail -n 2 | head -n 1 | sed 's/.*final loss \([^ ]*\) .*/\1/'; }
free=$(written "$work/free.png") box=$(written "$work/box.png")
echo "written losses: free descent $free, in the box $box"
.build/release/contact-sheet --output "$images/06b-box.png" --height 384 \
    --title "The default run (512 pixels, 100 L-BFGS iterations from the photo), each picture's loss measured from its file" \
    "$work/free.png=free descent, clipped when written: loss $free" "$work/box.png=descended in the box: loss $box" \
    "samples/mosaic.png=the style"
.build/release/loss-chart --output "$images/06b-box-losses.svg" --x iteration \
    --title "THE DEFAULT RUN: THE LAST ROW IS THE PICTURE WRITTEN" \
    "$work/free.csv=free descent, clipped when written" "$work/box.csv=in the box"
