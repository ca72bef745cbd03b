// Owns the TanStack Table features the keys table uses (shared by the table and its column factory).
import { columnVisibilityFeature, rowSelectionFeature, tableFeatures } from "@tanstack/react-table";

export const keyTableFeatures = tableFeatures({ rowSelectionFeature, columnVisibilityFeature });
