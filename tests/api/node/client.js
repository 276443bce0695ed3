// A real WordPress REST API client (the npm package wpapi) against a running Byline.
// Run by tests/api/test_api_wpapi.py: node client.js SITE_URL USER APP_PASSWORD CATEGORY_ID SLUG
// Prints one JSON object with what the client saw; the Python test asserts on it.
'use strict';

const WPAPI = require('wpapi');

async function main() {
  const [siteUrl, username, password, categoryId, slug] = process.argv.slice(2);
  const out = {};

  // Discovery as WordPress clients do it: the Link header of the home page, then the index.
  const site = await WPAPI.discover(siteUrl);
  out.endpoint = site._options.endpoint;
  site.auth({ username, password });

  const listed = await site.posts().perPage(2).get();
  out.listed = listed.map((p) => p.id);
  out.total = listed._paging.total;
  out.totalPages = listed._paging.totalPages;

  const bySlug = await site.posts().slug(slug).get();
  out.bySlug = bySlug.map((p) => p.slug);

  const byCategory = await site.posts().categories(Number(categoryId)).perPage(100).get();
  out.byCategory = byCategory.map((p) => ({ id: p.id, categories: p.categories }));

  const created = await site.posts().create({
    title: 'Written by wpapi',
    content: '<p>Sent from Node.js through the REST API.</p>',
    status: 'publish',
    categories: [Number(categoryId)],
  });
  out.created = { id: created.id, status: created.status, title: created.title.raw, link: created.link };

  const readBack = await site.posts().id(created.id).get();
  out.readBack = { title: readBack.title.rendered, content: readBack.content.rendered, categories: readBack.categories };

  const updated = await site.posts().id(created.id).update({ title: 'Edited by wpapi' });
  out.updated = { id: updated.id, title: updated.title.raw };

  const again = await site.posts().id(created.id).context('edit').get();
  out.again = { title: again.title.raw, slug: again.slug };

  const stranger = new WPAPI({ endpoint: out.endpoint, username, password: 'abcd efgh ijkl mnop qrst uvwx' });
  try {
    await stranger.posts().create({ title: 'Should not exist' });
    out.forged = 'accepted';
  } catch (err) {
    out.forged = { code: err.code, status: err.data && err.data.status };
  }

  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : JSON.stringify(err)) + '\n');
  process.exit(1);
});
