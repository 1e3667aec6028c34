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
common0="--init noise --content $photo --size 256 --iterations 150"
common="$common0 --style $style"
$run $common --output "$work/colours-painting.png"
$run $common --original-colors --output "$work/colours-after.png"
$run $common --preserve-colors luminance --output "$work/colours-luminance.png"
$run $common --preserve-colors match --output "$work/colours-match.png"
$sheet --output "$images/10-colour-control.png" --height 192 --columns 6 \
    --title "Keeping the photo's colours, Matisse's Woman with a Hat (256 pixels, 150 iterations from noise)" \
    "$photo=the photo" "$style=the style: Matisse" "$work/colours-painting.png=the painting's colours" \
    "$work/colours-after.png=--original-colors" "$work/colours-luminance.png=--preserve-colors luminance" \
    "$work/colours-match.png=--preserve-colors match"

# 2. Scale control: the large structures of one painting, the fine texture of another.
wave="$paintings/great_wave.png" night="$paintings/starry_night.png"
$run $common0 --style "$wave" --output "$work/scale-wave.png"
$run $common0 --style "$night" --output "$work/scale-night.png"
$run $common0 --style-coarse "$wave" --style-fine "$night" --output "$work/scale-wave-night.png"
$run $common0 --style-coarse "$night" --style-fine "$wave" --output "$work/scale-night-wave.png"
$sheet --output "$images/10-scale-control.png" --height 192 --columns 6 \
    --title "Scale control: deep layers (relu3_1 to relu5_1) match the coarse painting, shallow ones (relu1_1, relu2_1) the fine" \
    "$wave=Hokusai" "$night=Van Gogh" "$work/scale-wave.png=Hokusai alone" "$work/scale-night.png=Van Gogh alone" \
    "$work/scale-wave-night.png=coarse Hokusai, fine Van Gogh" "$work/scale-night-wave.png=coarse Van Gogh, fine Hokusai"

# 3. Spatial control with two paintings of very different colours: the photo's left half like
#    The Starry Night, its right half like The Scream; then the same mask laying out a texture.
python3 -c "
import sys
def ppm(path, w, h, f):
    with open(path, 'wb') as o:
        o.write(b'P6 %d %d 255\n' % (w, h)); o.write(bytes(v for y in range(h) for x in range(w) for v in f(y, x)))
ppm('$work/halves.ppm', 256, 256, lambda y, x: (40, 80, 220) if x < 128 else (240, 140, 30))
ppm('$work/blue.ppm', 8, 8, lambda y, x: (40, 80, 220))
ppm('$work/orange.ppm', 8, 8, lambda y, x: (240, 140, 30))
"
night="$paintings/starry_night.png" scream="$paintings/the_scream.png"
masks="--content-mask $work/halves.ppm --style-masks $work/blue.ppm,$work/orange.ppm"
$run --content "$photo" --style "$night,$scream" $masks --size 256 --iterations 150 --output "$work/halves-photo.png"
$run --style "$night,$scream" $masks --size 256 --iterations 150 --output "$work/halves-texture.png"
$sheet --output "$images/10-two-halves.png" --height 192 --columns 6 \
    --title "Spatial control: left half like Van Gogh, right half like Munch (256 pixels, 150 iterations)" \
    "$photo=the photo" "$work/halves.ppm=its mask" "$night=blue: Van Gogh" "$scream=orange: Munch" \
    "$work/halves-photo.png=the photo repainted" "$work/halves-texture.png=a texture, the same mask"
