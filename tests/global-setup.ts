// Says up front which databases this run covers, so a run without Postgres is never mistaken for one with it.
export default function setup() {
  const url = process.env.TEST_DATABASE_URL;
  console.log(
    url
      ? `[tideline tests] databases: embedded PGlite and Postgres (${url.replace(/\/\/[^@]*@/, "//")})`
      : "[tideline tests] databases: embedded PGlite only (set TEST_DATABASE_URL to also run on Postgres)",
  );
}
