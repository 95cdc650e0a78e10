import { createRoute, z } from "@hono/zod-openapi";
import { ProductCategory, ProductCode, productCatalogue, RiskLevel } from "../../../shared/kernel/products.js";
import { Tier } from "../../../shared/kernel/tiers.js";
import { router } from "../router.js";

const Product = z.object({
  code: ProductCode,
  nameEn: z.string(),
  nameZh: z.string(),
  category: ProductCategory,
  riskLevel: RiskLevel,
  minimumTier: Tier.nullable(),
});

export const products = router().openapi(
  createRoute({
    method: "get",
    path: "/",
    summary: "The product catalogue that holdings, offers and rules refer to",
    responses: {
      200: {
        description: "Every product",
        content: { "application/json": { schema: z.object({ products: z.array(Product) }) } },
      },
    },
  }),
  (c) => c.json({ products: productCatalogue() }, 200),
);
