export * from './errors';
export * from './auth';
export * from './health';
export * from './settings';
export * from './campaigns';
export * from './shift';
export * from './donors';
export * from './events';
