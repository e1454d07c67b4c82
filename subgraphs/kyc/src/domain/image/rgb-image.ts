/** 8-bit RGB pixels, row-major, 3 bytes a pixel (data.length = width * height * 3). */
export type RgbImage = { width: number; height: number; data: Uint8Array };
/** 8-bit grey pixels, row-major (data.length = width * height). */
export type GrayImage = { width: number; height: number; data: Uint8Array };
export type Rect = { x: number; y: number; width: number; height: number };
