import { z } from "zod";
import { roles } from "@/db/schema";

export const email = z.string().trim().toLowerCase().email("invalid_email").max(254);
export const password = z.string().min(8, "password_short").max(200);
export const workspaceName = z.string().trim().min(1, "workspace_name_required").max(80);
export const timezone = z
  .string()
  .trim()
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "timezone_unknown");
export const role = z.enum(roles);

export const setupSchema = z.object({
  name: z.string().trim().max(80).optional(),
  email,
  password,
  workspaceName,
  timezone: timezone.default("UTC"),
});

export const signInSchema = z.object({ email, password: z.string().min(1, "password_required") });
export const signUpSchema = z.object({ name: z.string().trim().max(80).optional(), email, password });
