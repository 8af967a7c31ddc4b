/** One invalid input field, as listed in the `errors` member of a validation problem. */
export interface FieldError {
  field: string;
  message: string;
}
