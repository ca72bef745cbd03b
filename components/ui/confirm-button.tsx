"use client";
import * as React from "react";
import { AlertDialog as A } from "radix-ui";
import { Button, type ButtonProps } from "./button";

type ConfirmProps = {
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  /** Return false to keep the dialog open (for example when the action failed). */
  onConfirm: () => Promise<boolean | void>;
};

/** A confirmation that says what will happen; the confirm button shows progress. */
export function ConfirmDialog({ open, onOpenChange, title, description, confirmLabel, onConfirm }: ConfirmProps & { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [pending, setPending] = React.useState(false);
  return (
    <A.Root open={open} onOpenChange={(o) => !pending && onOpenChange(o)}>
      <A.Portal>
        <A.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <A.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg border border-zinc-200 bg-white p-6 shadow-xl dark:border-zinc-800 dark:bg-zinc-900">
          <A.Title className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">{title}</A.Title>
          <A.Description className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{description}</A.Description>
          <div className="mt-6 flex justify-end gap-2">
            <A.Cancel asChild>
              <Button variant="secondary" disabled={pending}>
                Cancel
              </Button>
            </A.Cancel>
            <Button
              variant="danger"
              pending={pending}
              onClick={async () => {
                setPending(true);
                try {
                  if ((await onConfirm()) !== false) onOpenChange(false);
                } finally {
                  setPending(false);
                }
              }}
            >
              {confirmLabel}
            </Button>
          </div>
        </A.Content>
      </A.Portal>
    </A.Root>
  );
}

/** A button that opens a ConfirmDialog. */
export function ConfirmButton({ title, description, confirmLabel, onConfirm, children, ...buttonProps }: Omit<ButtonProps, "onClick"> & ConfirmProps) {
  const [open, setOpen] = React.useState(false);
  return (
    <>
      <Button {...buttonProps} onClick={() => setOpen(true)}>
        {children}
      </Button>
      <ConfirmDialog open={open} onOpenChange={setOpen} title={title} description={description} confirmLabel={confirmLabel} onConfirm={onConfirm} />
    </>
  );
}
