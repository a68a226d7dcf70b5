import { Suspense } from "react";
import { Card } from "../_components/form-bits";
import { SignInForm } from "../_components/account-forms";

export default function SignInPage() {
  return (
    <Card title="Instructor sign-in">
      <Suspense>
        <SignInForm />
      </Suspense>
    </Card>
  );
}
