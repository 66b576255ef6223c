export * from './schema';
export * from './engine';
export * from './validate';
export { reasonMessage } from './reasons';
export { addDays, ageOn, dateOfAge, yearOf } from './dates';
