#!/bin/sh
# Makes the pictures of Notebooks/10-perceptual-control.md with the release build of
# style-transfer and contact-sheet. The paintings are public-domain works kept outside the
# repository; pass the folder that holds woman_with_hat.png. The photo is the fetched astronaut
# sample (swift run fetch-samples).
#
#   sh scripts/notebook-10-figures.sh PAINTINGS_FOLDER
set -e
paintings=${1:?usage: sh scripts/notebook-10-figures.sh PAINTINGS_FOLDER}
swift build -c release --product style-transfer
swift build -c release --product contact-sheet
run=.build/release/style-transfer
sheet=.build/release/contact-sheet
work=output/notebook-10
images=Notebooks/images
mkdir -p "$work" "$images"
photo=$(swift run -c release fetch-samples --photos-only >/dev/null 2>&1; echo .cache/astronaut.png)

# 1. Colour control: the painting's colours, put back afterwards, luminance only, matched before.
style="$paintings/woman_with_hat.png"
common="--init noise --content $photo --style $style --size 256 --iterations 150"
$run $common --output "$work/colours-painting.png"
$run $common --original-colors --output "$work/colours-after.png"
$run $common --preserve-colors luminance --output "$work/colours-luminance.png"
$run $common --preserve-colors match --output "$work/colours-match.png"
$sheet --output "$images/10-colour-control.png" --height 192 --columns 6 \
    --title "Keeping the photo's colours, Matisse's Woman with a Hat (256 pixels, 150 iterations from noise)" \
    "$photo=the photo" "$style=the style: Matisse" "$work/colours-painting.png=the painting's colours" \
    "$work/colours-after.png=--original-colors" "$work/colours-luminance.png=--preserve-colors luminance" \
    "$work/colours-match.png=--preserve-colors match"
