import { CircleAlertIcon } from "lucide-react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import type { ActionState } from "@/lib/auth/action";

/** The form-level error of an action, shown above the fields. */
export function FormAlert({ state }: { state: ActionState }) {
  if (!state || state.ok) return null;
  return (
    <Alert variant="destructive" role="alert">
      <CircleAlertIcon />
      <AlertDescription>{state.error}</AlertDescription>
    </Alert>
  );
}
