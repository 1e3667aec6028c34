#!/bin/sh
# Makes the pictures of Notebooks/09-styling-an-image.md with the release build of
# style-transfer and contact-sheet. The paintings are public-domain works kept outside the
# repository; pass the folder that holds starry_night.png, great_wave.png, the_scream.png and
# woman_with_hat.png. The photos are the fetched samples (swift run fetch-samples).
#
#   sh scripts/notebook-09-figures.sh PAINTINGS_FOLDER
set -e
paintings=${1:?usage: sh scripts/notebook-09-figures.sh PAINTINGS_FOLDER}
swift build -c release --product style-transfer
swift build -c release --product contact-sheet
run=.build/release/style-transfer
sheet=.build/release/contact-sheet
work=output/notebook-09
images=Notebooks/images
mkdir -p "$work" "$images"
photo=$(swift run -c release fetch-samples --photos-only >/dev/null 2>&1; echo .cache/astronaut.png)

# 1. From white noise to the repainted photo: frames and loss curves (one scale, 256 pixels).
$run --init noise --content "$photo" --style "$paintings/starry_night.png" --size 256 --iterations 0 --output "$work/frame-0.png"
$run --init noise --content "$photo" --style "$paintings/starry_night.png" --size 256 --iterations 200 --save-every 10 \
    --output "$work/frame.png" --log "$work/losses.csv" --plot "$images/09-losses.svg"
$sheet --output "$images/09-progress.png" --height 192 --title "From white noise: L-BFGS iterations 0 to 200" \
    "$work/frame-0.png=0" "$work/frame-10.png=10" "$work/frame-50.png=50" "$work/frame-100.png=100" "$work/frame.png=200" \
    "$paintings/starry_night.png=the style"

# 2. The content/style weight ratio (content weight 5, style weight 5 x ratio; 20 is the default),
#    with Kandinsky's Composition VII (a painting with no border to copy).
for ratio in 1 10 20 100 1000; do
    $run --init noise --content "$photo" --style "$paintings/composition_vii.png" --size 256 --iterations 150 \
        --style-weight $((5 * ratio)) --output "$work/ratio-$ratio.png"
done
$sheet --output "$images/09-ratios.png" --height 192 --title "Style weight / content weight, Kandinsky's Composition VII" \
    "$photo=the photo" "$work/ratio-1.png=ratio 1" "$work/ratio-10.png=ratio 10" "$work/ratio-20.png=ratio 20 (default)" \
    "$work/ratio-100.png=ratio 100" "$work/ratio-1000.png=ratio 1000" "$paintings/composition_vii.png=the style"

# 3. Original colours: the same run, with and without the photo's colours.
$run --init noise --content "$photo" --style "$paintings/woman_with_hat.png" --size 256 --iterations 150 --output "$work/colours-style.png"
$run --init noise --content "$photo" --style "$paintings/woman_with_hat.png" --size 256 --iterations 150 --original-colors --output "$work/colours-original.png"
$sheet --output "$images/09-original-colors.png" --height 192 --title "Original colours, Matisse's Woman with a Hat" \
    "$photo=the photo" "$work/colours-style.png=the painting's colours" "$work/colours-original.png=--original-colors" \
    "$paintings/woman_with_hat.png=the style: Woman with a Hat"

# 4. Coarse to fine at 1024 pixels: 256, 512, then 1024 (200, 100 and 50 iterations). The
#    picture of iteration 200 is the 256-pixel result enlarged to 512, that of 300 the 512-pixel
#    result enlarged to 1024 (each scale's first row evaluates the enlarged picture).
/usr/bin/time -v $run --init noise --content .cache/chelsea.png --style "$paintings/great_wave.png" --size 1024 --iterations 200 \
    --save-every 100 --output "$work/multiscale.png" --log "$work/multiscale.csv" 2> "$work/multiscale-time.txt"
grep -E "Elapsed|Maximum resident" "$work/multiscale-time.txt"
cp "$work/multiscale.png" "$images/09-multiscale-1024.png"
$sheet --output "$images/09-multiscale-1024-sheet.png" --height 256 --columns 3 --title "Coarse to fine: 256, 512, then 1024 pixels" \
    ".cache/chelsea.png=the photo" "$paintings/great_wave.png=the style: The Great Wave" \
    "$work/multiscale-200.png=256 px: 200 iterations from noise" "$work/multiscale-300.png=512 px: 100 more" \
    "$work/multiscale.png=1024 px: 50 more, the result"

# 5. The default run's schedule and start, and what runs cost: scripts/appendix-09a.sh (appendix 9a).

# 6. The paper's figure 2: one photo in several styles (from white noise, 256 pixels, 150 iterations).
for painting in starry_night the_scream great_wave composition_vii; do
    $run --init noise --content "$photo" --style "$paintings/$painting.png" --size 256 --iterations 150 --output "$work/styles-$painting.png"
done
$sheet --output "$images/09-one-photo-four-styles.png" --height 192 --columns 4 --title "One photo, four styles" \
    "$work/styles-starry_night.png=The Starry Night" "$work/styles-the_scream.png=The Scream" \
    "$work/styles-great_wave.png=The Great Wave" "$work/styles-composition_vii.png=Composition VII" \
    "$paintings/starry_night.png=style: van Gogh" "$paintings/the_scream.png=style: Munch" \
    "$paintings/great_wave.png=style: Hokusai" "$paintings/composition_vii.png=style: Kandinsky"

# 7. The paper's figure 3: the weight ratio against the style layers (The Starry Night).
for layers in relu1_1 relu1_1,relu2_1,relu3_1 relu1_1,relu2_1,relu3_1,relu4_1,relu5_1; do
    for ratio in 2 20 200; do
        $run --init noise --content "$photo" --style "$paintings/starry_night.png" --size 256 --iterations 150 \
            --style-layers $layers --style-weight $((5 * ratio)) --output "$work/grid-${layers##*,}-$ratio.png"
    done
done
$sheet --output "$images/09-ratio-against-layers.png" --height 160 --columns 3 \
    --title "Rows: style layers up to relu1_1, relu3_1, relu5_1. Columns: ratio 2, 20, 200. Last row: the inputs" \
    "$work/grid-relu1_1-2.png=relu1_1, ratio 2" "$work/grid-relu1_1-20.png=relu1_1, ratio 20" "$work/grid-relu1_1-200.png=relu1_1, ratio 200" \
    "$work/grid-relu3_1-2.png=to relu3_1, ratio 2" "$work/grid-relu3_1-20.png=to relu3_1, ratio 20" "$work/grid-relu3_1-200.png=to relu3_1, ratio 200" \
    "$work/grid-relu5_1-2.png=to relu5_1, ratio 2" "$work/grid-relu5_1-20.png=to relu5_1, ratio 20" "$work/grid-relu5_1-200.png=to relu5_1, ratio 200" \
    "$photo=content: the astronaut" "$paintings/starry_night.png=style: The Starry Night"
