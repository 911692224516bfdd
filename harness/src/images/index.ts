export {
  buildAppImages,
  buildImage,
  imageId,
  imageTag,
  type AppImage,
  type BuildOptions,
  type BuiltImage,
} from './build.ts';
export {
  baseImages,
  officialImages,
  overridesFile,
  usingOfflineImages,
  type BaseImages,
  type BaseImageVariable,
} from './overrides.ts';
