// The fonts live in platform/ since the thermal printer's raster lines (devices/) draw with them
// too; documents keep importing them from here.
export * from '../platform/fonts';
