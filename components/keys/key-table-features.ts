// Owns the TanStack Table features the keys table uses (shared by the table and its column factory).
import { rowSelectionFeature, tableFeatures } from "@tanstack/react-table";

export const keyTableFeatures = tableFeatures({ rowSelectionFeature });
