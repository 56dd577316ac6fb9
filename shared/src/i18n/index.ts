export * from './translator';
export * from './common';
