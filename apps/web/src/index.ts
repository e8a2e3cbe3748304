export { CENTER_SCRIPT, type CenterData, privacyCenterPage } from './center/page';
export { type DocLinks, documentFrame, jsonForScript, STYLESHEET } from './layout';
export {
  cartPage,
  categoryPage,
  checkoutPage,
  homePage,
  notFoundPage,
  privacyPage,
  productPage,
  SDK_SCRIPT,
  SHOP_SCRIPT,
  type ShopItem,
  type Storefront,
  searchPage,
} from './shop/pages';
export { PAGE_CSS } from './styles';
export { type Lang, TEXTS } from './texts';
