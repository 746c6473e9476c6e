// The whole schema, one file an area under db/schema/. drizzle-kit and the database client
// read it from here.
export * from "./schema/accounts";
export * from "./schema/customer-data";
export * from "./schema/imports";
export * from "./schema/segments";
export * from "./schema/messages";
export * from "./schema/broadcasts";
export * from "./schema/journeys";
export * from "./schema/rewards";
