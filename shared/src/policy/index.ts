export * from './policy.schema';
export * from './policy.rules';
export * from './recurrence';
export { addDays, instantOfWallClock, localInstant, localParts, mergeStretches, offsetAt } from './zone-time';
