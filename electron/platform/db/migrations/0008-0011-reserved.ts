import type { Migration } from './types';

// Versions 8–11 are reserved for changes made in parallel on other branches (issue work in
// progress); 12 (spool jobs) was numbered after them. Until those land, these keep the versions
// contiguous. When merging, replace each placeholder with the real migration of that number:
// a database never holds user data between two development merges.
const reserved = (version: number): Migration => ({ version, name: `reserved ${version} (placeholder, no change)`, up() {} });
export const migration0008 = reserved(8);
export const migration0009 = reserved(9);
export const migration0010 = reserved(10);
export const migration0011 = reserved(11);
