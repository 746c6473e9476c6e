import { useTranslations } from "next-intl";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** The first rows as the importer will read them (quotes resolved, one cell per column). */
export function ImportPreview({ columns, rows }: { columns: string[]; rows: Array<{ row: number; cells: string[] }> }) {
  const t = useTranslations("imports.mapping");
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("previewTitle")}</CardTitle>
        <CardDescription>{rows.length > 0 ? t("previewDescription", { count: rows.length }) : t("noRows")}</CardDescription>
      </CardHeader>
      {rows.length > 0 ? (
        <CardContent className="px-0">
          <Table data-testid="import-preview">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-6">{t("row")}</TableHead>
                {columns.map((column, index) => (
                  <TableHead key={index}>{column || `#${index + 1}`}</TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map(({ row, cells }) => (
                <TableRow key={row}>
                  <TableCell className="text-muted-foreground pl-6 tabular-nums">{row}</TableCell>
                  {columns.map((_, column) => (
                    <TableCell key={column} className="max-w-64 truncate" title={cells[column]}>
                      {cells[column]}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      ) : null}
    </Card>
  );
}
