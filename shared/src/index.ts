export * from './errors';
export * from './events';
export * from './schemas';
export * from './time';
export * from './wire';
export * from './policy';
export * from './sentences';
export * from './occupancy';
