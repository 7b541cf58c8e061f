FROM klakegg/hugo:0.111.3-ext-alpine AS build
ADD https://github.com/adityatelange/hugo-PaperMod.git#v7.0 /src/themes/PaperMod
COPY . /src
WORKDIR /src
RUN hugo --gc --minify -d /target

FROM nginx:alpine AS serve
COPY --from=build /target /usr/share/nginx/html
