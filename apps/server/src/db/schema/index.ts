export * from './users';
export * from './settings';
export * from './teams';
export * from './campaigns';
export * from './donors';
export * from './dialer';
export * from './admin';
export * from './organisation';
