export { decodeImage, MAX_IMAGE_PIXELS, MAX_JPEG_MEMORY_MB } from './decode-image';
export type { DecodeImageOptions } from './decode-image';
export { sniffImageType, pngDimensions } from './sniff-image-type';
export { crc32, pngChunksIntact } from './png-chunks';
export type { ImageType } from './sniff-image-type';
export { resizeBilinear, resizeChannels, crop, toGray } from './transform';
export type { RgbImage, GrayImage, Rect } from './rgb-image';
export { imageError, imageErrorReason, IMAGE_ERROR_REASONS } from './image-errors';
export type { ImageErrorReason } from './image-errors';
