/**
 * SSD anchors as MediaPipe's SsdAnchorsCalculator makes them (mediapipe/calculators/tflite/
 * ssd_anchors_calculator.cc): layers with the same stride are merged into one feature map, each cell
 * gets one anchor per aspect ratio and scale (plus the interpolated scale when
 * interpolated_scale_aspect_ratio > 0), centred at (x + offset) / feature size; with
 * fixed_anchor_size every anchor is 1 x 1 (box sizes are then raw / input size).
 */
export type SsdAnchorOptions = {
  inputSizeWidth: number;
  inputSizeHeight: number;
  minScale: number;
  maxScale: number;
  anchorOffsetX: number;
  anchorOffsetY: number;
  numLayers: number;
  strides: number[];
  aspectRatios: number[];
  interpolatedScaleAspectRatio: number;
  reduceBoxesInLowestLayer: boolean;
  fixedAnchorSize: boolean;
};

export type Anchor = { xCenter: number; yCenter: number; w: number; h: number };

/** face_detection_short_range.pbtxt (the 128x128 "front" model): 896 anchors. */
export const BLAZEFACE_SHORT_RANGE_ANCHORS: SsdAnchorOptions = {
  inputSizeWidth: 128,
  inputSizeHeight: 128,
  minScale: 0.1484375,
  maxScale: 0.75,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  numLayers: 4,
  strides: [8, 16, 16, 16],
  aspectRatios: [1.0],
  interpolatedScaleAspectRatio: 1.0,
  reduceBoxesInLowestLayer: false,
  fixedAnchorSize: true,
};

function calculateScale(min: number, max: number, index: number, count: number): number {
  return count === 1 ? (min + max) * 0.5 : min + ((max - min) * index) / (count - 1);
}

export function generateSsdAnchors(o: SsdAnchorOptions): Anchor[] {
  if (o.strides.length !== o.numLayers) throw new RangeError('anchors: strides must have numLayers entries');
  const anchors: Anchor[] = [];
  let layer = 0;
  while (layer < o.numLayers) {
    const heights: number[] = [];
    const widths: number[] = [];
    let last = layer;
    // Layers sharing a stride form one feature map.
    while (last < o.numLayers && o.strides[last] === o.strides[layer]) {
      const scale = calculateScale(o.minScale, o.maxScale, last, o.numLayers);
      if (last === 0 && o.reduceBoxesInLowestLayer) {
        for (const [ratio, s] of [[1, 0.1], [2, scale], [0.5, scale]] as const) {
          heights.push(s / Math.sqrt(ratio));
          widths.push(s * Math.sqrt(ratio));
        }
      } else {
        for (const ratio of o.aspectRatios) {
          heights.push(scale / Math.sqrt(ratio));
          widths.push(scale * Math.sqrt(ratio));
        }
        if (o.interpolatedScaleAspectRatio > 0) {
          const next = last === o.numLayers - 1 ? 1.0 : calculateScale(o.minScale, o.maxScale, last + 1, o.numLayers);
          const s = Math.sqrt(scale * next);
          heights.push(s / Math.sqrt(o.interpolatedScaleAspectRatio));
          widths.push(s * Math.sqrt(o.interpolatedScaleAspectRatio));
        }
      }
      last += 1;
    }
    const stride = o.strides[layer]!;
    const fh = Math.ceil(o.inputSizeHeight / stride);
    const fw = Math.ceil(o.inputSizeWidth / stride);
    for (let y = 0; y < fh; y++) {
      for (let x = 0; x < fw; x++) {
        for (let k = 0; k < heights.length; k++) {
          anchors.push({
            xCenter: (x + o.anchorOffsetX) / fw,
            yCenter: (y + o.anchorOffsetY) / fh,
            w: o.fixedAnchorSize ? 1 : widths[k]!,
            h: o.fixedAnchorSize ? 1 : heights[k]!,
          });
        }
      }
    }
    layer = last;
  }
  return anchors;
}
